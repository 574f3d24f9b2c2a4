namespace Conductor.Silo.Leadership;

/// <summary>Runs leader-only work once per leadership term, with the term's token.</summary>
public static class LeaderTerm
{
    /// <summary>
    /// Waits for leadership, runs <paramref name="work"/> with a token cancelled when the term ends or the host stops,
    /// and repeats for every later term until <paramref name="stopping"/> is cancelled. Work that returns early is not
    /// restarted within the same term.
    /// </summary>
    public static async Task RunEachTermAsync(this ILeadership leadership, Func<CancellationToken, Task> work, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            CancellationToken term;
            try
            {
                term = await leadership.WaitForLeadershipAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(term, stopping);
            try
            {
                await work(linked.Token);
                await Task.Delay(Timeout.Infinite, linked.Token);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                // The term ended or the host is stopping.
            }
            catch (NotLeaderException)
            {
                // A write found leadership already gone; the next term starts over.
            }
        }
    }
}
