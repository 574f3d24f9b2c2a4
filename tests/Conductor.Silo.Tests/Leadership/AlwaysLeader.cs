using Conductor.Silo.Leadership;

namespace Conductor.Silo.Tests.Leadership;

/// <summary>A replica that always leads: for tests of leader-only components that are not about election itself.</summary>
public sealed class AlwaysLeader : ILeadership
{
    public string Identity => "test-replica";

    public string? CurrentLeader => Identity;

    public bool IsLeader => true;

    public CancellationToken LeaderToken => CancellationToken.None;

    public Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken) => Task.FromResult(CancellationToken.None);
}
