namespace Conductor.Integration.Tests.Federation;

/// <summary>Waits for a condition with a cap: polls on a short period and fails with what it last saw.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultCap = TimeSpan.FromSeconds(60);

    public static async Task<T> MatchAsync<T>(Func<Task<T>> read, Func<T, bool> match, string what, TimeSpan? cap = null)
    {
        using var timeout = new CancellationTokenSource(cap ?? DefaultCap);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        T last = default!;
        Exception? error = null;
        do
        {
            try
            {
                last = await read();
                if (match(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error = e;
            }
        }
        while (await tick.WaitForNextTickAsync(timeout.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default));

        throw new TimeoutException($"Timed out waiting for {what}; last saw {last}{(error is null ? "" : $" (last error {error.Message})")}");
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? cap = null) =>
        MatchAsync(() => Task.FromResult(condition()), ok => ok, what, cap);
}
