using System.Diagnostics.Metrics;
using Conductor.Observability;
using Conductor.Silo.Federation.Gateway;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Silo.Tests.Federation.Gateway;

public sealed class FederationStreamRegistryTests
{
    [Fact]
    public void Register_ReplaceAndEnd_ConnectedTenantsCountsClustersNotStreams()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ConductorMetrics(services.GetRequiredService<IMeterFactory>());
        var registry = new FederationStreamRegistry(metrics);

        var first = registry.Register("tenant-a", CancellationToken.None);
        var replacement = registry.Register("tenant-a", CancellationToken.None);
        var other = registry.Register("tenant-b", CancellationToken.None);
        var whileBoth = metrics.Snapshot().ConnectedTenants;
        first.Dispose();
        var afterReplacedEnds = metrics.Snapshot().ConnectedTenants;
        replacement.Dispose();
        other.Dispose();

        Assert.True(first.IsReplaced);
        Assert.Equal(2, whileBoth);
        Assert.Equal(2, afterReplacedEnds);
        Assert.Equal(0, metrics.Snapshot().ConnectedTenants);
    }

    [Fact]
    public void Register_TwoReplicasOfOneCluster_BothStayOpenAndCountAsOneTenant()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ConductorMetrics(services.GetRequiredService<IMeterFactory>());
        var registry = new FederationStreamRegistry(metrics);

        using var leader = registry.Register("tenant-a", "agent-0", control: true, CancellationToken.None);
        var follower = registry.Register("tenant-a", "agent-1", control: false, CancellationToken.None);
        var whileBoth = metrics.Snapshot().ConnectedTenants;
        var clustersWhileBoth = registry.ConnectedClusterIds;
        follower.Dispose();

        Assert.False(leader.IsReplaced);
        Assert.False(follower.IsReplaced);
        Assert.Equal(1, whileBoth);
        Assert.Equal(["tenant-a"], clustersWhileBoth);
        Assert.Equal(1, metrics.Snapshot().ConnectedTenants);
    }

    [Fact]
    public void Register_SameReplicaAgain_ReplacesOnlyThatReplicasStream()
    {
        var registry = new FederationStreamRegistry();

        using var leader = registry.Register("tenant-a", "agent-0", control: true, CancellationToken.None);
        using var follower = registry.Register("tenant-a", "agent-1", control: false, CancellationToken.None);
        using var reconnected = registry.Register("tenant-a", "agent-1", control: false, CancellationToken.None);

        Assert.True(follower.IsReplaced);
        Assert.True(follower.Token.IsCancellationRequested);
        Assert.False(leader.IsReplaced);
        Assert.False(reconnected.IsReplaced);
    }

    [Fact]
    public void Register_NewLeadersControlStream_ReplacesTheFormerLeadersControlStream()
    {
        var registry = new FederationStreamRegistry();

        using var formerLeader = registry.Register("tenant-a", "agent-0", control: true, CancellationToken.None);
        using var follower = registry.Register("tenant-a", "agent-2", control: false, CancellationToken.None);
        using var newLeader = registry.Register("tenant-a", "agent-1", control: true, CancellationToken.None);
        using var otherCluster = registry.Register("tenant-b", "agent-0", control: true, CancellationToken.None);

        Assert.True(formerLeader.IsReplaced);
        Assert.False(follower.IsReplaced);
        Assert.False(newLeader.IsReplaced);
        Assert.False(otherCluster.IsReplaced);
        Assert.Equal(["tenant-a", "tenant-b"], registry.ConnectedClusterIds.Order(StringComparer.Ordinal));
    }
}
