using Conductor.Federation;
using Conductor.Grains.Federation;
using Conductor.Integration.Tests.Federation;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Resources.Seam;
using Conductor.Runner;
using Conductor.Silo.Tenant.Federation;
using k8s;
using k8s.Models;

namespace Conductor.Integration.Tests;

/// <summary>
/// One management silo and three tenants over real Kestrel mTLS on loopback and both real apiservers:
/// heartbeats, audit delivery and acknowledgement, replay deduplication, revocation fan-out, validation.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class FederationEndToEndTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private readonly Topology _topology = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TenantAgent First => _topology.Tenants[0];

    public ValueTask InitializeAsync() => new(_topology.StartAsync(tenants: 3, prefix: "e2e"));

    public ValueTask DisposeAsync() => _topology.DisposeAsync();

    [Fact]
    public async Task Connect_ThreeTenants_HeartBeatsAcknowledgedBothWays()
    {
        foreach (var tenant in _topology.Tenants)
        {
            var status = await Eventually.MatchAsync(() => _topology.Management.SessionAsync(tenant.ClusterId),
                s => s.Connected && s.LastAck is not null && s.LastHeartBeat is not null, $"heartbeats of {tenant.ClusterId}");

            Assert.False(status.Degraded);
            Assert.Equal(0, status.MissedAcks);
            Assert.NotNull(tenant.Channel.Live);
            Assert.False(tenant.Channel.Degraded);
        }
    }

    [Fact]
    public async Task AuditBatch_Recorded_AckedOnlyOnceStoredInKubernetes()
    {
        ulong last = 0;
        for (var i = 1; i <= 25; i++)
        {
            last = await First.RecordAsync(i);
        }

        await Eventually.TrueAsync(() => First.Wal.AckedSequence == last, "the WAL acknowledged up to the last event");
        var stored = await _topology.Store(First).ReadAllAsync(CancellationToken.None);
        var (mark, _) = await _topology.Store(First).RecoverHighWaterMarkAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (ulong)i), stored.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"item-{i}"), stored.Select(e => e.Name));
        Assert.Equal(last, mark);
        Assert.All(_topology.Tenants.Skip(1), t => Assert.Equal(0UL, t.Wal.LastSequence));
    }

    [Fact]
    public async Task Replay_AckLostThenReconnect_StoresNothingTwice()
    {
        await _topology.Management.StopAsync();
        for (var i = 1; i <= 10; i++)
        {
            await First.RecordAsync(i);
        }

        // Keep the WAL as it stood before delivery: restoring it later is a tenant that crashed after management
        // stored the events but before the acknowledgement reached the tenant's disk.
        await First.StopAsync();
        var beforeDelivery = CopyDirectory(First.WalPath);
        await First.StartAsync();
        await _topology.Management.StartAsync();
        await Eventually.TrueAsync(() => First.Wal.AckedSequence == 10, "acknowledgement of 10 events");
        var before = await _topology.Store(First).ReadAllAsync(CancellationToken.None);
        await First.StopAsync();
        Directory.Delete(First.WalPath, recursive: true);
        Directory.Move(beforeDelivery, First.WalPath);
        await First.StartAsync();

        await _topology.Logs.WaitForAsync(e => e.EventId.Name == "LogDuplicates" && e.Message.Contains(First.ClusterId, StringComparison.Ordinal));
        await Eventually.TrueAsync(() => First.Wal.AckedSequence == 10, "acknowledgement of the replay");
        var after = await _topology.Store(First).ReadAllAsync(CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (ulong)i), before.Select(e => e.Sequence));
        Assert.Equal(before, after);
    }

    private static string CopyDirectory(string source)
    {
        var target = source + "-copy";
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    [Fact]
    public async Task Revocation_ArtifactsRevoked_PushedToExactlyTheirHolders()
    {
        var (holderOfPack, holderOfSnapshot, bystander) = (_topology.Tenants[0], _topology.Tenants[1], _topology.Tenants[2]);
        var pack = await CreateAsync(new PackInstalled
        {
            Metadata = new V1ObjectMeta { Name = "nginx-" + holderOfPack.ClusterId, NamespaceProperty = fixture.ManagementNamespace },
            Spec = new PackInstalledSpec { ClusterPackRef = "nginx", Version = "1.0.0", TargetClusterRef = holderOfPack.ClusterId },
        }, SeamApi.Group, SeamApi.Version, PackInstalled.Plural);
        var snapshot = await CreateAsync(new PermissionSnapshot
        {
            Metadata = new V1ObjectMeta { Name = "snapshot-" + holderOfSnapshot.ClusterId, NamespaceProperty = fixture.ManagementNamespace },
            Spec = new PermissionSnapshotSpec { TargetCluster = holderOfSnapshot.ClusterId, Version = "2024-05-06T07:08:09Z" },
        }, GuardianApi.Group, GuardianApi.Version, PermissionSnapshot.Plural);

        await fixture.Management.CustomObjects.PatchNamespacedCustomObjectAsync<System.Text.Json.JsonElement>(
            new V1Patch(RevokedPatch, V1Patch.PatchType.MergePatch),
            SeamApi.Group, SeamApi.Version, fixture.ManagementNamespace, PackInstalled.Plural, pack, cancellationToken: Ct);
        await fixture.Management.CustomObjects.DeleteNamespacedCustomObjectAsync(
            GuardianApi.Group, GuardianApi.Version, fixture.ManagementNamespace, PermissionSnapshot.Plural, snapshot, cancellationToken: Ct);

        await Eventually.TrueAsync(() => holderOfPack.Revoked.IsRevoked(RevocationTarget.PackInstalled, fixture.ManagementNamespace, pack),
            "the pack's holder applied its revocation");
        await Eventually.TrueAsync(() => holderOfSnapshot.Revoked.IsRevoked(RevocationTarget.PermissionSnapshot, fixture.ManagementNamespace, snapshot),
            "the snapshot's holder applied its revocation");
        Assert.Equal("key compromised", Assert.Single(holderOfPack.Revoked.All).Reason);
        Assert.Single(holderOfSnapshot.Revoked.All);
        Assert.Empty(bystander.Revoked.All);
        var marks = await fixture.Tenant.CoreV1.ReadNamespacedConfigMapAsync(RevokedArtifacts.ConfigMapName, holderOfPack.Namespace, cancellationToken: Ct);
        Assert.Contains(pack, marks.Data[RevokedArtifacts.RevocationsKey], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownCapabilityAndBadParameter_RejectedWithEveryReason()
    {
        var verdict = await First.Client.ValidateRunnerConfigAsync(RunnerConfigWith(
            new RunnerStep { Name = "warp", Capability = "warp-drive" },
            new RunnerStep { Name = "backup", Capability = "etcd-backup", Parameters = new Dictionary<string, string> { ["bukket"] = "b" } }), Ct);

        Assert.False(verdict.Approved);
        Assert.Contains(verdict.Reasons, r => r is { Field: "spec.steps[0].capability", Rule: RunnerConfigRules.UnknownCapability });
        Assert.Contains(verdict.Reasons, r => r.Field == "spec.steps[1].parameters" && r.Message.Contains("'bukket' is not accepted", StringComparison.Ordinal));
        Assert.Contains(verdict.Reasons, r => r.Field == "spec.steps[1].parameters" && r.Message.Contains("'bucket' is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_NoStepsWhileLive_Approved()
    {
        var verdict = await First.Client.ValidateRunnerConfigAsync(RunnerConfigWith(), Ct);

        Assert.True(verdict.Approved, string.Join("; ", verdict.Reasons));
        Assert.Empty(verdict.Reasons);
    }

    [Fact]
    public async Task Validate_StreamDown_FailsClosedAndDegradedIsSetThenCleared()
    {
        await _topology.Management.StopAsync();
        await Eventually.TrueAsync(() => First.Channel.Live is null && First.Channel.Degraded, "the tenant noticed management is gone");

        var refused = await First.Client.ValidateRunnerConfigAsync(RunnerConfigWith(), Ct);
        var degraded = await Eventually.MatchAsync(() => FederationFixture.ReadRunnerConfigAsync(fixture.Tenant, First.Namespace, First.ClusterId),
            rc => Condition(rc)?.Status == "True", "FederationChannelDegraded=True on the tenant's RunnerConfig");
        await _topology.Management.StartAsync();
        await _topology.WaitLiveAsync(First);
        var restored = await Eventually.MatchAsync(() => FederationFixture.ReadRunnerConfigAsync(fixture.Tenant, First.Namespace, First.ClusterId),
            rc => Condition(rc)?.Status == "False", "FederationChannelDegraded=False after recovery");
        var approved = await First.Client.ValidateRunnerConfigAsync(RunnerConfigWith(), Ct);

        Assert.False(refused.Approved);
        Assert.Equal(FederationClient.ChannelDownRule, Assert.Single(refused.Reasons).Rule);
        Assert.Equal("ChannelLost", Condition(degraded)!.Reason);
        Assert.Equal("ChannelLive", Condition(restored)!.Reason);
        Assert.True(approved.Approved);
    }

    private static readonly string RevokedPatch =
        "{\"metadata\":{\"annotations\":{\"" + Revocations.RevokedAnnotation + "\":\"key compromised\"}}}";

    private static V1Condition? Condition(RunnerConfig rc) =>
        rc.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.FederationChannelDegraded);

    private RunnerConfig RunnerConfigWith(params RunnerStep[] steps) => new()
    {
        Metadata = new V1ObjectMeta { Name = First.ClusterId, NamespaceProperty = First.Namespace },
        Spec = new RunnerConfigSpec { ClusterRef = First.ClusterId, AgentImage = "registry.example/conductor-execute:v1.9.3", Steps = steps },
    };

    private async Task<string> CreateAsync<T>(T resource, string group, string version, string plural)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await fixture.Management.CustomObjects.CreateNamespacedCustomObjectAsync(resource, group, version, fixture.ManagementNamespace, plural, cancellationToken: Ct);
        return resource.Metadata.Name;
    }
}
