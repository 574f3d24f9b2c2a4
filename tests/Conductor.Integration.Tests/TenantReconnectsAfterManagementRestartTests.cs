using System.Collections.Concurrent;
using System.Text.Json;
using Conductor.Federation;
using Conductor.Integration.Tests.Federation;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Runner;
using Conductor.TestSupport.Resources;
using k8s;
using k8s.Models;

namespace Conductor.Integration.Tests;

/// <summary>
/// Management restarts while two tenants stream audit events, and stays away for many heartbeat intervals. The
/// tenants reconnect on their own; afterwards each side reconciles what it holds (audit high-water mark, the
/// revocations issued meanwhile). Nothing on the tenant clusters is deleted or rolled back: only the degraded
/// condition changes.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class TenantReconnectsAfterManagementRestartTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncLifetime
{
    private readonly Topology _topology = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => new(_topology.StartAsync(tenants: 2, prefix: "restart", t => t.BatchMaxEvents = 10));

    public ValueTask DisposeAsync() => _topology.DisposeAsync();

    [Fact]
    public async Task ManagementRestartsWhileTenantsStream_EverythingDeliveredOnceAndTenantsUntouched()
    {
        var workloads = await CreateWorkloadsAsync();
        var pack = await CreatePackAsync(_topology.Tenants[0].ClusterId);
        var durable = _topology.Tenants.ToDictionary(t => t.ClusterId, _ => new ConcurrentDictionary<ulong, string>());
        using var stop = new CancellationTokenSource();
        var recorders = _topology.Tenants.Select(t => Task.Run(() => t.RecordUntilAsync(durable[t.ClusterId], stop.Token), Ct)).ToList();
        await Eventually.TrueAsync(() => _topology.Tenants.All(t => t.Wal.AckedSequence >= 20), "audit flowing from both tenants");

        await _topology.Management.StopAsync();
        await Task.WhenAll(_topology.Tenants.Select(t => Eventually.MatchAsync(
            () => FederationFixture.ReadRunnerConfigAsync(fixture.Tenant, t.Namespace, t.ClusterId),
            rc => Degraded(rc) == "True", $"{t.ClusterId} recorded the lost channel")));
        await Eventually.TrueAsync(() => _topology.Tenants.All(t => t.Wal.LastSequence >= t.Wal.AckedSequence + 50), "events buffered while away");
        // Revoked while management is down: the restarted watch finds it, and the tenant learns of it on reconnect.
        await fixture.Management.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            new V1Patch("{\"metadata\":{\"annotations\":{\"" + Revocations.RevokedAnnotation + "\":\"superseded\"}}}", V1Patch.PatchType.MergePatch),
            SeamApi.Group, SeamApi.Version, fixture.ManagementNamespace, PackInstalled.Plural, pack, cancellationToken: Ct);
        var degradedVersions = await SnapshotAsync(workloads);
        await _topology.Management.StartAsync();
        await Task.WhenAll(_topology.Tenants.Select(_topology.WaitLiveAsync));
        await stop.CancelAsync();
        await Task.WhenAll(recorders);

        foreach (var tenant in _topology.Tenants)
        {
            var last = tenant.Wal.LastSequence;
            await Eventually.TrueAsync(() => tenant.Wal.AckedSequence == last, $"{tenant.ClusterId} fully acknowledged");
            DeliveryCheck.ExactlyOnce(await _topology.Store(tenant).ReadAllAsync(Ct), last, durable[tenant.ClusterId]);
            await Eventually.MatchAsync(() => FederationFixture.ReadRunnerConfigAsync(fixture.Tenant, tenant.Namespace, tenant.ClusterId),
                rc => Degraded(rc) == "False", $"{tenant.ClusterId} cleared the degraded condition");
        }

        await Eventually.TrueAsync(() => _topology.Tenants[0].Revoked.IsRevoked(RevocationTarget.PackInstalled, fixture.ManagementNamespace, pack),
            "the revocation issued while management was down reached its holder");
        Assert.Empty(_topology.Tenants[1].Revoked.All);
        // Workloads and receipts: not one write through the outage, the restart or the reconnect.
        Assert.Equal(degradedVersions, await SnapshotAsync(workloads));
        Assert.Equal(workloads.Versions, degradedVersions);
    }

    private static string? Degraded(Resources.Seam.RunnerConfig rc) =>
        rc.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.FederationChannelDegraded)?.Status;

    private async Task<string> CreatePackAsync(string clusterId)
    {
        var pack = new PackInstalled
        {
            Metadata = new V1ObjectMeta { Name = "cert-manager-" + clusterId, NamespaceProperty = fixture.ManagementNamespace },
            Spec = new PackInstalledSpec { ClusterPackRef = "cert-manager", Version = "1.15.0", TargetClusterRef = clusterId },
        };
        await fixture.Management.CustomObjects.CreateNamespacedCustomObjectAsync(
            pack, SeamApi.Group, SeamApi.Version, fixture.ManagementNamespace, PackInstalled.Plural, cancellationToken: Ct);
        return pack.Metadata.Name;
    }

    private sealed record Workloads(List<(string Namespace, string Kind, string Name)> Objects, List<string> Versions);

    /// <summary>On each tenant cluster: an application ConfigMap and a PackReceipt, as an installed pack leaves them.</summary>
    private async Task<Workloads> CreateWorkloadsAsync()
    {
        var objects = new List<(string, string, string)>();
        foreach (var tenant in _topology.Tenants)
        {
            await fixture.Tenant.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = "workload", NamespaceProperty = tenant.Namespace },
                Data = new Dictionary<string, string> { ["replicas"] = "3" },
            }, tenant.Namespace, cancellationToken: Ct);
            var receipt = SampleResources.Create(typeof(PackReceipt), tenant.Namespace, "cert-manager");
            await fixture.Tenant.CustomObjects.CreateNamespacedCustomObjectAsync(
                receipt, SeamApi.Group, SeamApi.Version, tenant.Namespace, PackReceipt.Plural, cancellationToken: Ct);
            objects.Add((tenant.Namespace, "ConfigMap", "workload"));
            objects.Add((tenant.Namespace, PackReceipt.KindName, "cert-manager"));
        }

        var workloads = new Workloads(objects, []);
        workloads.Versions.AddRange(await SnapshotAsync(workloads));
        return workloads;
    }

    private async Task<List<string>> SnapshotAsync(Workloads workloads)
    {
        var versions = new List<string>();
        foreach (var (ns, kind, name) in workloads.Objects)
        {
            versions.Add(kind == "ConfigMap"
                ? (await fixture.Tenant.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: Ct)).Metadata.ResourceVersion
                : (await fixture.Tenant.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                    SeamApi.Group, SeamApi.Version, ns, PackReceipt.Plural, name, Ct)).GetProperty("metadata").GetProperty("resourceVersion").GetString()!);
        }

        return versions;
    }
}
