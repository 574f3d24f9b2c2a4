using Conductor.Silo.Leadership;

namespace Conductor.Silo.Tests.Drift;

/// <summary>A replica that follows for ever: every leader-only write must be refused.</summary>
public sealed class NeverLeader : ILeadership
{
    private static readonly CancellationToken Lost = new(canceled: true);

    public string Identity => "follower";

    public string? CurrentLeader => "someone-else";

    public bool IsLeader => false;

    public CancellationToken LeaderToken => Lost;

    public async Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return Lost;
    }
}
