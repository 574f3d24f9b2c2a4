using Conductor.Federation;
using Conductor.Integration.Tests.Federation;
using Conductor.Silo.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Integration.Tests.Dashboard;

/// <summary>
/// The dashboard's state read from a management agent with a real tenant connected over mTLS: the tenant row carries
/// its heartbeat age and channel health from the session grain, and a recorded revocation appears among the recent ones.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class DashboardFederationStateTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private readonly Topology _topology = new(fixture);

    public ValueTask InitializeAsync() => new(_topology.StartAsync(tenants: 1, prefix: "dash"));

    public ValueTask DisposeAsync() => _topology.DisposeAsync();

    [Fact]
    public async Task Read_TenantConnectedAndRevoked_ShowsHeartbeatAgeAndRevocation()
    {
        var tenant = _topology.Tenants[0];
        var reader = ActivatorUtilities.CreateInstance<DashboardStateReader>(_topology.Management.Services);
        await _topology.Management.Grains.GetGrain<IRevocationGrain>(tenant.ClusterId).RevokeAsync(new RevocationNotice(
            tenant.ClusterId, RevocationTarget.PackInstalled, "seam-tenant-x", "pack-a", "test revocation", DateTimeOffset.UtcNow, "rev-dash-1"));

        var state = await Eventually.MatchAsync(() => reader.ReadAsync(TestContext.Current.CancellationToken),
            s => s.Tenants.Any(t => t.ClusterId == tenant.ClusterId && t.HeartbeatAgeSeconds is not null), "a heartbeat in the dashboard state");
        var row = Assert.Single(state.Tenants, t => t.ClusterId == tenant.ClusterId);
        var revocation = Assert.Single(state.Revocations, r => r.ClusterId == tenant.ClusterId);

        Assert.True(state.FederationGatewayRunning);
        Assert.Equal("connected", row.Stream);
        Assert.InRange(row.HeartbeatAgeSeconds!.Value, 0, 30);
        Assert.False(row.Degraded);
        Assert.Null(row.SessionError);
        Assert.Equal("pack-a", revocation.Name);
        Assert.Equal("test revocation", revocation.Reason);
        Assert.Equal(DashboardStateReader.WalNotReported, state.WalBackPressure);
    }
}
