using System.Net;
using Conductor.Resources;
using Conductor.Resources.Platform;
using Conductor.Resources.Seam;
using Conductor.Silo.Drift;
using Conductor.Silo.Tests.Custody;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.Signing;
using Conductor.TestSupport.Resources;
using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static Conductor.Silo.Tests.Drift.DriftFixtures;

namespace Conductor.Silo.Tests.Drift;

/// <summary>
/// Version drift on the real apiservers: the TalosCluster and Nodes (status.nodeInfo written through /status) on the
/// tenant, <c>drift-version-{cluster}</c> and <c>drift-k8s-version-{cluster}</c> on management. Nodes are
/// cluster-scoped, so each test deletes the ones it made.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class VersionDriftTests(ManagementTenantNamespace management, TenantReceiptNamespace tenant)
    : IClassFixture<ManagementTenantNamespace>, IClassFixture<TenantReceiptNamespace>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
    private readonly List<string> _nodes = [];

    private string TalosSignal => DriftNames.TalosSignal(management.Cluster);

    private string KubernetesSignal => DriftNames.KubernetesSignal(management.Cluster);

    public async ValueTask InitializeAsync()
    {
        foreach (var signal in new[] { TalosSignal, KubernetesSignal })
        {
            await IgnoreNotFound(() => management.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(SeamApi.Group, SeamApi.Version, management.Name,
                DriftSignal.Plural, signal, cancellationToken: Ct));
        }
        await IgnoreNotFound(() => tenant.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(SeamApi.Group, SeamApi.Version, tenant.Name,
            TalosCluster.Plural, management.Cluster, cancellationToken: Ct));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await IgnoreNotFound(() => tenant.Client.CoreV1.DeleteNodeAsync(node));
        }
    }

    [Fact]
    public async Task PassAsync_TalosVersionDiffers_PendingTalosSignal()
    {
        await DesireAsync("v1.7.0", "1.32.3");
        await NodeAsync("Talos (v1.7.4)", "v1.32.3");
        await NodeAsync("Talos (v1.7.4)", "v1.32.3");

        await Reconciler().PassAsync(Ct);

        var signal = await ReadSignalAsync(management.Client, management.Name, TalosSignal);
        Assert.NotNull(signal);
        Assert.Equal(DriftState.Pending, signal.Spec.State);
        Assert.Equal("talos version drift: spec=v1.7.0 observed=v1.7.4", signal.Spec.DriftReason);
        Assert.Equal(TalosCluster.KindName, signal.Spec.AffectedCrRef!.Kind);
        Assert.Equal(SeamApi.Group, signal.Spec.AffectedCrRef.Group);
        Assert.Equal(management.Cluster, signal.Spec.AffectedCrRef.Name);
        Assert.StartsWith($"version-{management.Cluster}-", signal.Spec.CorrelationId, StringComparison.Ordinal);
        Assert.Null(await ReadSignalAsync(management.Client, management.Name, KubernetesSignal));
    }

    [Fact]
    public async Task PassAsync_KubeletVersionDiffers_PendingKubernetesSignal()
    {
        await DesireAsync("v1.7.4", "1.32.3");
        await NodeAsync("Talos (v1.7.4)", "v1.32.4");

        await Reconciler().PassAsync(Ct);

        var signal = await ReadSignalAsync(management.Client, management.Name, KubernetesSignal);
        Assert.Equal("kubernetes version drift: spec=1.32.3 observed=1.32.4", signal!.Spec.DriftReason);
        Assert.StartsWith($"k8s-version-{management.Cluster}-", signal.Spec.CorrelationId, StringComparison.Ordinal);
        Assert.Null(await ReadSignalAsync(management.Client, management.Name, TalosSignal));
    }

    [Fact]
    public async Task PassAsync_NodesDisagree_NoSignalBecauseAnUpgradeIsUnderWay()
    {
        await DesireAsync("v1.7.0", "1.32.3");
        await NodeAsync("Talos (v1.7.0)", "v1.32.3");
        await NodeAsync("Talos (v1.7.4)", "v1.32.4");

        await Reconciler().PassAsync(Ct);

        Assert.Null(await ReadSignalAsync(management.Client, management.Name, TalosSignal));
        Assert.Null(await ReadSignalAsync(management.Client, management.Name, KubernetesSignal));
    }

    [Fact]
    public async Task PassAsync_VersionsNowEqualAndSignalQueued_Confirmed()
    {
        await DesireAsync("v1.7.4", "1.32.4");
        await NodeAsync("Talos (v1.7.4)", "v1.32.4");
        await SetSignalAsync(management.Client, management.Name, KubernetesSignal, new DriftSignalSpec
        {
            State = DriftState.Queued, EscalationCounter = 1, CorrectionJobRef = "upgrade", CorrelationId = "k8s-version-x-1",
            AffectedCrRef = new AffectedObjectRef { Kind = TalosCluster.KindName, Name = management.Cluster },
        });

        await Reconciler().PassAsync(Ct);

        var signal = await ReadSignalAsync(management.Client, management.Name, KubernetesSignal);
        Assert.Equal(DriftState.Confirmed, signal!.Spec.State);
        Assert.Null(signal.Spec.CorrelationId);
        Assert.Null(await ReadSignalAsync(management.Client, management.Name, TalosSignal));
    }

    [Fact]
    public async Task PassAsync_NoTalosCluster_NoSignal()
    {
        await NodeAsync("Talos (v1.7.4)", "v1.32.4");

        await Reconciler().PassAsync(Ct);

        Assert.Null(await ReadSignalAsync(management.Client, management.Name, TalosSignal));
        Assert.Null(await ReadSignalAsync(management.Client, management.Name, KubernetesSignal));
    }

    private TenantDriftReconciler Reconciler() =>
        DriftFixtures.Reconciler(Options(management.Cluster, tenant.Name), tenant.Client, management.Client, _time);

    private async Task DesireAsync(string talos, string kubernetes)
    {
        var cluster = (TalosCluster)SampleResources.Create(typeof(TalosCluster), tenant.Name, management.Cluster);
        cluster.Status = null;
        cluster.Spec = cluster.Spec with { TalosVersion = talos, KubernetesVersion = kubernetes };
        await tenant.Client.CustomObjects.CreateNamespacedCustomObjectAsync<TalosCluster>(cluster, SeamApi.Group, SeamApi.Version, tenant.Name,
            TalosCluster.Plural, cancellationToken: Ct);
    }

    private async Task NodeAsync(string osImage, string kubelet)
    {
        var name = Unique("drift-node");
        _nodes.Add(name);
        var node = await tenant.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: Ct);
        node.Status = new V1NodeStatus
        {
            NodeInfo = new V1NodeSystemInfo
            {
                OsImage = osImage, KubeletVersion = kubelet, KubeProxyVersion = kubelet, Architecture = "amd64", BootID = "b",
                ContainerRuntimeVersion = "containerd://2.0.0", KernelVersion = "6.6.0", MachineID = "m", OperatingSystem = "linux", SystemUUID = "s",
            },
        };
        await tenant.Client.CoreV1.ReplaceNodeStatusAsync(node, name, cancellationToken: Ct);
    }

    private static async Task IgnoreNotFound(Func<Task> delete)
    {
        try
        {
            await delete();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}
