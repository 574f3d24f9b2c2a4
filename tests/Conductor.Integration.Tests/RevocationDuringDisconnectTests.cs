using System.Text.Json;
using Conductor.Federation;
using Conductor.Integration.Tests.Federation;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Runner;
using k8s;
using k8s.Models;

namespace Conductor.Integration.Tests;

/// <summary>
/// A tenant is away (its agent stopped) while management revokes its PermissionSnapshot: management marks the
/// channel degraded on the tenant's RunnerConfig after the missed acks, records the revocation, and pushes it
/// when the tenant reconnects, which clears the degraded condition.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class RevocationDuringDisconnectTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private readonly Topology _topology = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TenantAgent Tenant => _topology.Tenants[0];

    public ValueTask InitializeAsync() => new(_topology.StartAsync(tenants: 1, prefix: "away"));

    public ValueTask DisposeAsync() => _topology.DisposeAsync();

    [Fact]
    public async Task SnapshotRevokedWhileTenantAway_ReachesTenantOnReconnect()
    {
        var snapshot = new PermissionSnapshot
        {
            Metadata = new V1ObjectMeta { Name = "snapshot-" + Tenant.ClusterId, NamespaceProperty = fixture.ManagementNamespace },
            Spec = new PermissionSnapshotSpec { TargetCluster = Tenant.ClusterId, Version = "2024-05-06T07:08:09Z" },
        };
        await fixture.Management.CustomObjects.CreateNamespacedCustomObjectAsync(
            snapshot, GuardianApi.Group, GuardianApi.Version, fixture.ManagementNamespace, PermissionSnapshot.Plural, cancellationToken: Ct);

        await Tenant.StopAsync();
        var degraded = await Eventually.MatchAsync(
            () => FederationFixture.ReadRunnerConfigAsync(fixture.Management, fixture.ManagementNamespace, Tenant.ClusterId),
            rc => Condition(rc)?.Status == "True", "management recorded the degraded channel");
        await fixture.Management.CustomObjects.DeleteNamespacedCustomObjectAsync(
            GuardianApi.Group, GuardianApi.Version, fixture.ManagementNamespace, PermissionSnapshot.Plural, snapshot.Metadata.Name, cancellationToken: Ct);
        await _topology.Logs.WaitForAsync(e => e.EventId.Name == "LogRevoking" && e.Message.Contains(snapshot.Metadata.Name, StringComparison.Ordinal));
        await Tenant.StartAsync();
        await _topology.WaitLiveAsync(Tenant);

        await Eventually.TrueAsync(() => Tenant.Revoked.IsRevoked(RevocationTarget.PermissionSnapshot, fixture.ManagementNamespace, snapshot.Metadata.Name),
            "the tenant applied the revocation issued while it was away");
        var restored = await Eventually.MatchAsync(
            () => FederationFixture.ReadRunnerConfigAsync(fixture.Management, fixture.ManagementNamespace, Tenant.ClusterId),
            rc => Condition(rc)?.Status == "False", "management cleared the degraded channel");
        Assert.Equal(ConditionReasons.HeartbeatsMissed, Condition(degraded)!.Reason);
        Assert.Equal("HeartbeatsAcknowledged", Condition(restored)!.Reason);
        Assert.Equal("deleted on the management cluster", Assert.Single(Tenant.Revoked.All).Reason);
    }

    private static V1Condition? Condition(Resources.Seam.RunnerConfig rc) =>
        rc.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.FederationChannelDegraded);
}
