namespace Conductor.Silo.Leadership;

/// <summary>
/// The one gate every leader-only write passes through. It refuses when this replica does not lead, and cancels a
/// write in flight the moment leadership is lost, so "no write after the loss" is enforced here and nowhere else.
/// </summary>
public sealed partial class LeaderOnlyWriter(ILeadership leadership, ILogger<LeaderOnlyWriter> logger)
{
    private long _refused;
    private long _performed;

    /// <summary>Writes refused because this replica did not lead.</summary>
    public long RefusedCount => Interlocked.Read(ref _refused);

    /// <summary>Writes started while leading.</summary>
    public long PerformedCount => Interlocked.Read(ref _performed);

    /// <summary>
    /// Runs <paramref name="write"/> with a token that is also cancelled when leadership is lost. Throws
    /// <see cref="NotLeaderException"/> without calling it when this replica does not lead, and when leadership was
    /// lost while it ran.
    /// </summary>
    public async Task<T> WriteAsync<T>(string description, Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        var term = leadership.LeaderToken;
        if (!leadership.IsLeader || term.IsCancellationRequested)
        {
            Interlocked.Increment(ref _refused);
            LogRefused(logger, description, leadership.Identity, leadership.CurrentLeader ?? "unknown");
            throw new NotLeaderException(description, leadership.Identity);
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(term, cancellationToken);
        Interlocked.Increment(ref _performed);
        try
        {
            return await write(linked.Token);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogCancelledByLoss(logger, description, leadership.Identity);
            throw new NotLeaderException(description, leadership.Identity);
        }
    }

    /// <inheritdoc cref="WriteAsync{T}"/>
    public Task WriteAsync(string description, Func<CancellationToken, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(description, async token =>
        {
            await write(token);
            return true;
        }, cancellationToken);

    [LoggerMessage(1, LogLevel.Warning, "Refused to {Write}: replica {Identity} is not the leader (leader: {Leader})")]
    private static partial void LogRefused(ILogger logger, string write, string identity, string leader);

    [LoggerMessage(2, LogLevel.Warning, "Cancelled {Write}: replica {Identity} lost leadership while writing")]
    private static partial void LogCancelledByLoss(ILogger logger, string write, string identity);
}
