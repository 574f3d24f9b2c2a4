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
}
