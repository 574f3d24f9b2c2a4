using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Compiler.Packs.Delivery;
using Conductor.Compiler.Packs.Split;
using Conductor.Registry.Distribution;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Runner.Results;
using Conductor.TestSupport.Registry;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Executor.Tests.Capabilities.PackDeploy;

/// <summary>
/// pack-deploy end to end: PackExecution and signed PackDelivery on the management apiserver, layers pushed by
/// packbuild's own code to a real docker-registry, applied to the tenant apiserver as the target. The server runs no
/// controllers, so the test plays the Deployment controller by setting Available itself.
/// </summary>
public sealed class PackDeployCapabilityTests(TargetClusterFixture fixture) : IClassFixture<TargetClusterFixture>, IAsyncLifetime
{
    private static readonly TimeSpan ControllerCap = TimeSpan.FromSeconds(60);
    private DockerRegistryProcess _registry = null!;
    private OciRegistryClient _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _registry = await DockerRegistryProcess.StartAsync(Token);
        _client = OciRegistryClient.Create(new OciRegistryOptions());
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task Run_SignedPack_AppliesInOrderWaitsReadyAndWritesReceipt()
    {
        var pack = Pack("order");

        var (pushed, result) = await DeployAsync(pack, withSettings: true, withCrd: true);

        Assert.True(result.Status == OperationStatus.Succeeded, result.FailureReason?.Detail);
        Assert.Equal(
            ["verify-signature", "pull-layers", "apply-namespaces", "apply-rbac", "apply-cluster-scoped", "wait-established", "apply-workload", "wait-ready", "prune", "write-receipt"],
            result.Steps.Select(s => s.Name).ToArray());
        Assert.All(result.Steps, s => Assert.Equal(OperationStepStatus.Succeeded, s.Status));
        var rbac = new[]
        {
            await RequireAsync("", "v1", "serviceaccounts", fixture.TenantNamespace, $"{pack}-web"),
            await RequireAsync("rbac.authorization.k8s.io", "v1", "roles", fixture.TenantNamespace, $"{pack}-reader"),
            await RequireAsync("rbac.authorization.k8s.io", "v1", "rolebindings", fixture.TenantNamespace, $"{pack}-reader"),
            await RequireAsync("rbac.authorization.k8s.io", "v1", "clusterroles", null, $"{pack}-viewer"),
        };
        var clusterScoped = await RequireAsync("apiextensions.k8s.io", "v1", "customresourcedefinitions", null, Crd(pack));
        var workload = new[]
        {
            await RequireAsync("", "v1", "configmaps", fixture.TenantNamespace, $"{pack}-settings"),
            await RequireAsync($"{pack}.example.com", "v1", "widgets", fixture.TenantNamespace, "w1"),
        };
        // One etcd orders every write: each stage's objects were created after the previous stage's.
        Assert.True(rbac.Max(ResourceVersion) < ResourceVersion(clusterScoped), "the CRD was applied before an RBAC object");
        Assert.True(ResourceVersion(clusterScoped) < workload.Min(ResourceVersion), "a workload object was applied before the CRD");
        var managers = workload[0].GetProperty("metadata").GetProperty("managedFields").EnumerateArray()
            .Select(f => (f.GetProperty("manager").GetString(), f.GetProperty("operation").GetString()));
        Assert.Contains(("conductor", "Apply"), managers);

        var receipt = await ReceiptAsync(pack);
        Assert.Equal(pack, receipt.GetProperty("spec").GetProperty("clusterPackRef").GetString());
        Assert.Equal(fixture.Cluster, receipt.GetProperty("spec").GetProperty("targetClusterRef").GetString());
        Assert.Equal(pushed.RbacDigest, receipt.GetProperty("spec").GetProperty("rbacDigest").GetString());
        var inventory = Inventory(receipt);
        Assert.Contains(new DeployedResource { ApiVersion = "apps/v1", Kind = "Deployment", Namespace = fixture.TenantNamespace, Name = $"{pack}-web" }, inventory);
        Assert.Contains(new DeployedResource { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRole", Name = $"{pack}-viewer" }, inventory);
        Assert.Equal(9, inventory.Count);
        Assert.Contains(result.Artifacts, a => a.Name == "pack-receipt" && a.Kind == ArtifactKind.KubernetesResource
            && a.Reference == $"seam.ontai.dev/v1alpha1/PackReceipt/ont-system/{pack}");
        Assert.Contains(result.Artifacts, a => a.Name == "workload-layer" && a.Reference.EndsWith("@" + pushed.WorkloadDigest, StringComparison.Ordinal));
        Assert.Equal($"PackReceipt ont-system/{pack} lists 9 applied objects", result.Steps[^1].Message);
    }

    [Fact]
    public async Task Run_VersionChange_PrunesWhatTheNewVersionLacks()
    {
        var pack = Pack("prune");
        var (_, first) = await DeployAsync(pack, withSettings: true);
        Assert.True(first.Status == OperationStatus.Succeeded, first.FailureReason?.Detail);
        Assert.NotNull(await fixture.TenantGetAsync("", "v1", "configmaps", fixture.TenantNamespace, $"{pack}-settings"));

        // Version 2 drops the settings ConfigMap and the ClusterRole.
        var v2 = await ChangeVersionAsync(pack, "2.0.0", withSettings: false);

        var second = await RunAsync(pack, "job-2", playController: false);

        Assert.True(second.Status == OperationStatus.Succeeded, second.FailureReason?.Detail);
        Assert.Equal("2 of 2 objects of the previous version deleted", second.Steps.Single(s => s.Name == "prune").Message);
        Assert.Null(await fixture.TenantGetAsync("", "v1", "configmaps", fixture.TenantNamespace, $"{pack}-settings"));
        Assert.Null(await fixture.TenantGetAsync("rbac.authorization.k8s.io", "v1", "clusterroles", null, $"{pack}-viewer"));
        Assert.NotNull(await fixture.TenantGetAsync("apps", "v1", "deployments", fixture.TenantNamespace, $"{pack}-web"));
        var inventory = Inventory(await ReceiptAsync(pack));
        Assert.DoesNotContain(inventory, r => r.Name == $"{pack}-settings" || r.Name == $"{pack}-viewer");
        Assert.Equal(v2.WorkloadDigest, (await ReceiptAsync(pack)).GetProperty("spec").GetProperty("workloadDigest").GetString());
    }

    [Fact]
    public async Task Run_VersionDropsANamespace_DeletesItsObjectsButLeavesTheNamespaceAndWarns()
    {
        var pack = Pack("nsdrop");
        var side = $"side-{Guid.NewGuid():N}";
        var (_, first) = await DeployAsync(pack, withSettings: false, sideNamespace: side);
        Assert.True(first.Status == OperationStatus.Succeeded, first.FailureReason?.Detail);
        Assert.Contains(Inventory(await ReceiptAsync(pack)), r => r is { Kind: "Namespace" } && r.Name == side);
        // Something the pack never owned lives in that namespace.
        await fixture.Tenant.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "tenant-own" } }, side,
            cancellationToken: Token);

        await ChangeVersionAsync(pack, "2.0.0", withSettings: false);
        var second = await RunAsync(pack, "job-2", playController: false);

        Assert.True(second.Status == OperationStatus.Succeeded, second.FailureReason?.Detail);
        Assert.Equal("1 of 1 objects of the previous version deleted", second.Steps.Single(s => s.Name == "prune").Message);
        Assert.Null(await fixture.TenantGetAsync("", "v1", "configmaps", side, $"{pack}-side"));
        var ns = await fixture.Tenant.CoreV1.ReadNamespaceAsync(side, cancellationToken: Token);
        Assert.Null(ns.Metadata.DeletionTimestamp);
        Assert.NotNull(await fixture.TenantGetAsync("", "v1", "configmaps", side, "tenant-own"));
        Assert.Contains(fixture.Logs.Entries, e => e.EventId.Name == "NamespacesKept" && e.Message.Contains(side, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_DeploymentNeverAvailable_FailsAtReadyTimeoutAndRecordsIncompleteInventory()
    {
        var pack = Pack("slow");

        var (_, result) = await DeployAsync(pack, withSettings: false, readyTimeoutSeconds: 2);

        Assert.Equal(OperationStatus.Failed, result.Status);
        Assert.Equal(FailureCategory.ExecutionFailure, result.FailureReason!.Category);
        Assert.Equal("wait-ready", result.Phase);
        Assert.Contains($"Deployment {fixture.TenantNamespace}/{pack}-web (apps/v1) has no condition Available=True", result.FailureReason.Detail,
            StringComparison.Ordinal);
        Assert.StartsWith("not ready within the 2 s readiness timeout", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.Equal(["wait-ready", "record-inventory"], result.Steps.TakeLast(2).Select(s => s.Name).ToArray());
        Assert.Equal(OperationStepStatus.Succeeded, result.Steps[^1].Status);
        var receipt = await ReceiptAsync(pack);
        Assert.Equal("Incomplete", DeployState(receipt));
        Assert.Contains(new DeployedResource { ApiVersion = "apps/v1", Kind = "Deployment", Namespace = fixture.TenantNamespace, Name = $"{pack}-web" },
            Inventory(receipt));
        // ServiceAccount, Role, RoleBinding, Deployment, and the Namespace packbuild adds for them.
        Assert.Equal(5, Inventory(receipt).Count);
        Assert.Contains(fixture.Logs.Entries, e => e.EventId.Name == "NotReady" && e.Message.Contains(pack, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_FailedReadinessThenVersionLackingAnObject_PrunesIt()
    {
        var pack = Pack("unready");
        var (_, first) = await DeployAsync(pack, withSettings: true, readyTimeoutSeconds: 1);
        Assert.Equal("wait-ready", first.Phase);
        Assert.NotNull(await fixture.TenantGetAsync("", "v1", "configmaps", fixture.TenantNamespace, $"{pack}-settings"));

        await ChangeVersionAsync(pack, "2.0.0", withSettings: false);
        var second = await RunAsync(pack, "job-2", playController: true);

        Assert.True(second.Status == OperationStatus.Succeeded, second.FailureReason?.Detail);
        Assert.Equal("2 of 2 objects of the previous version deleted", second.Steps.Single(s => s.Name == "prune").Message);
        Assert.Null(await fixture.TenantGetAsync("", "v1", "configmaps", fixture.TenantNamespace, $"{pack}-settings"));
        Assert.Null(await fixture.TenantGetAsync("rbac.authorization.k8s.io", "v1", "clusterroles", null, $"{pack}-viewer"));
        var receipt = await ReceiptAsync(pack);
        Assert.Equal("Deployed", DeployState(receipt));
        Assert.Equal(5, Inventory(receipt).Count);
    }

    [Fact]
    public async Task Run_SameVersionTwice_SecondAppliesSameObjectsPrunesNothingAndLeavesReceiptUnchanged()
    {
        var pack = Pack("again");
        var (_, first) = await DeployAsync(pack, withSettings: true);
        Assert.True(first.Status == OperationStatus.Succeeded, first.FailureReason?.Detail);
        var receiptBefore = await ReceiptAsync(pack);
        var objectsBefore = await ResourceVersionsAsync(pack);

        var second = await RunAsync(pack, "job-2", playController: false);

        Assert.True(second.Status == OperationStatus.Succeeded, second.FailureReason?.Detail);
        Assert.Equal(first.Steps.Select(s => (s.Name, s.Message)), second.Steps.Select(s => (s.Name, s.Message)));
        Assert.Equal("0 of 0 objects of the previous version deleted", second.Steps.Single(s => s.Name == "prune").Message);
        var receiptAfter = await ReceiptAsync(pack);
        Assert.Equal(receiptBefore.GetProperty("spec").GetRawText(), receiptAfter.GetProperty("spec").GetRawText());
        Assert.Equal("Deployed", DeployState(receiptAfter));
        // Server-side apply of unchanged objects is a no-op: nothing on the target was rewritten.
        Assert.Equal(objectsBefore, await ResourceVersionsAsync(pack));
        Assert.Equal(ResourceVersion(receiptBefore), ResourceVersion(receiptAfter));
    }

    [Fact]
    public async Task Run_Deploy_LogsVerifiedPulledAppliedPerPhasePrunedAndReady()
    {
        var pack = Pack("logged");

        var (_, result) = await DeployAsync(pack, withSettings: true);

        Assert.True(result.Status == OperationStatus.Succeeded, result.FailureReason?.Detail);
        // pack-deploy's own events (1xx), for this pack only: the class's other runs log into the same provider.
        var logged = fixture.Logs.Entries.Where(e => e.EventId.Id is > 100 and < 200 && e.Message.Contains(pack, StringComparison.Ordinal)).ToList();
        Assert.Equal(["Verified", "Pulled", "Applied", "Applied", "Applied", "Ready", "Pruned", "ReceiptWritten"],
            logged.Select(e => e.EventId.Name).ToArray());
        Assert.Contains(logged, e => e.Message == $"pack-deploy {pack}: phase apply-rbac applied 4 objects to cluster {fixture.Cluster}");
        Assert.Contains(logged, e => e.Message == $"pack-deploy {pack}: phase apply-workload applied 2 objects to cluster {fixture.Cluster}");
        Assert.Contains(logged, e => e.Message == $"pack-deploy {pack}: wait-ready ready, 1 objects checked");
        Assert.Contains(logged, e => e.Message.StartsWith($"pack-deploy {pack}: pulled and verified 2 layers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_TamperedLayerBlob_RefusedNamingTheLayerDigestAndAppliesNothing()
    {
        var pack = Pack("tamper");
        var pushed = await DeliverAsync(pack, withSettings: true);
        // Alter the workload layer's tar.gz inside the registry's storage, keeping its length.
        var manifest = await _client.GetManifestAsync(Repository(pack).WithDigest(pushed.WorkloadDigest), Token);
        var blob = manifest.Manifest.Layers[0].Digest["sha256:".Length..];
        var path = Path.Combine(_registry.Directory, "storage", "docker", "registry", "v2", "blobs", "sha256", blob[..2], blob, "data");
        var bytes = await File.ReadAllBytesAsync(path, Token);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes, Token);

        var result = await RunAsync(pack, "job-1", playController: false);

        Assert.Equal(OperationStatus.Failed, result.Status);
        Assert.Equal(FailureCategory.ValidationFailure, result.FailureReason!.Category);
        Assert.Equal("pull-layers", result.Phase);
        Assert.Contains($"failed its integrity check (layer digest {pushed.WorkloadDigest})", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.Null(await fixture.TenantGetAsync("", "v1", "serviceaccounts", fixture.TenantNamespace, $"{pack}-web"));
        Assert.Null(await fixture.TenantGetAsync("", "v1", "configmaps", fixture.TenantNamespace, $"{pack}-settings"));
        Assert.Null(await fixture.TenantGetAsync(SeamApi.Group, SeamApi.Version, PackReceipt.Plural, "ont-system", pack));
    }

    [Fact]
    public async Task Run_UnsignedPackDelivery_RefusedBeforeAnyPull()
    {
        var pack = Pack("unsigned");
        // The registry URL points nowhere: a pull attempt would fail as ExternalDependencyFailure instead.
        var unreachable = new PushedLayers("sha256:" + new string('a', 64), null, "sha256:" + new string('b', 64), new string('c', 64));
        await fixture.CreateAsync(SeamApi.Group, PackDelivery.Plural, pack, DeliverySpec("1.0.0", unreachable, "127.0.0.1:1/packs/none"),
            PackDelivery.KindName, sign: false);
        await CreateExecutionAsync(pack, "1.0.0");

        var result = await RunAsync(pack, "job-1", playController: false);

        Assert.Equal(FailureCategory.ValidationFailure, result.FailureReason!.Category);
        Assert.Equal("verify-signature", result.Phase);
        Assert.Contains($"PackDelivery {fixture.ManagementNamespace}/{pack} failed signature verification (Missing)", result.FailureReason.Detail,
            StringComparison.Ordinal);
        Assert.Single(result.Steps);
    }

    [Fact]
    public async Task Run_SpecChangedAfterSigning_RefusedAsBadSignature()
    {
        var pack = Pack("forged");
        await DeliverAsync(pack, withSettings: true);
        await fixture.MergePatchAsync(SeamApi.Group, PackDelivery.Plural, pack,
            new JsonObject { ["spec"] = new JsonObject { ["registryRef"] = new JsonObject { ["url"] = $"{_registry.Address}/packs/elsewhere" } } });

        var result = await RunAsync(pack, "job-1", playController: false);

        Assert.Equal(FailureCategory.ValidationFailure, result.FailureReason!.Category);
        Assert.Contains("failed signature verification (BadSignature)", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.Null(await fixture.TenantGetAsync("", "v1", "serviceaccounts", fixture.TenantNamespace, $"{pack}-web"));
    }

    private string Pack(string scenario) => $"{scenario}-{fixture.Cluster}";

    /// <summary>
    /// Delivers version 1.0.0 (<see cref="DeliverAsync"/>) and runs pack-deploy as Job <c>{pack}-job-1</c>. Without a
    /// readiness timeout the test plays the Deployment controller meanwhile; with one, the Deployment never turns Available.
    /// </summary>
    private async Task<(PushedLayers Pushed, OperationResult Result)> DeployAsync(
        string pack, bool withSettings, bool withCrd = false, string? sideNamespace = null, int? readyTimeoutSeconds = null)
    {
        var pushed = await DeliverAsync(pack, withSettings, withCrd, sideNamespace);
        var environment = readyTimeoutSeconds is { } seconds
            ? new Dictionary<string, string> { ["PACK_READY_TIMEOUT_SECONDS"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : null;
        return (pushed, await RunAsync(pack, "job-1", playController: readyTimeoutSeconds is null, environment));
    }

    /// <summary>Pushes version 1.0.0 as packbuild does, then creates its signed PackDelivery and the PackExecution naming it.</summary>
    private async Task<PushedLayers> DeliverAsync(string pack, bool withSettings, bool withCrd = false, string? sideNamespace = null)
    {
        var pushed = await PushAsync(pack, "1.0.0", Manifests(pack, withSettings, withCrd, sideNamespace));
        await CreateDeliveryAsync(pack, "1.0.0", pushed);
        await CreateExecutionAsync(pack, "1.0.0");
        return pushed;
    }

    /// <summary>
    /// Runs pack-deploy for the pack's PackExecution as Job <c>{pack}-{job}</c>; <paramref name="playController"/> only when
    /// the run applies the Deployment and it is not Available yet (otherwise the controller waits out its cap).
    /// </summary>
    private async Task<OperationResult> RunAsync(string pack, string job, bool playController, IReadOnlyDictionary<string, string>? environment = null)
    {
        var controller = playController ? PlayDeploymentControllerAsync($"{pack}-web") : Task.CompletedTask;
        var result = await fixture.RunJobAsync($"{pack}-{job}", "pack-deploy", Parameters(pack), environment);
        await controller;
        return result;
    }

    /// <summary>Pushes a new version, points the PackDelivery at it (management re-signs the changed spec) and the PackExecution too.</summary>
    private async Task<PushedLayers> ChangeVersionAsync(string pack, string version, bool withSettings)
    {
        var pushed = await PushAsync(pack, version, Manifests(pack, withSettings, withCrd: false));
        await fixture.MergePatchAsync(SeamApi.Group, PackDelivery.Plural, pack, new JsonObject { ["spec"] = DeliverySpec(version, pushed, Repository(pack).ToString()) });
        await fixture.SignAsync(SeamApi.Group, PackDelivery.Plural, pack);
        await fixture.MergePatchAsync(SeamApi.Group, PackExecution.Plural, pack,
            new JsonObject { ["spec"] = new JsonObject { ["clusterPackRef"] = new JsonObject { ["name"] = pack, ["version"] = version } } });
        return pushed;
    }

    private static string? DeployState(JsonElement receipt) =>
        receipt.GetProperty("metadata").TryGetProperty("annotations", out var a) && a.TryGetProperty("seam.ontai.dev/deploy-state", out var v) ? v.GetString() : null;

    /// <summary>The resourceVersion of each object the pack applies, keyed by kind and name.</summary>
    private async Task<Dictionary<string, long>> ResourceVersionsAsync(string pack)
    {
        var ns = fixture.TenantNamespace;
        return new Dictionary<string, long>
        {
            ["ServiceAccount"] = ResourceVersion(await RequireAsync("", "v1", "serviceaccounts", ns, $"{pack}-web")),
            ["Role"] = ResourceVersion(await RequireAsync("rbac.authorization.k8s.io", "v1", "roles", ns, $"{pack}-reader")),
            ["RoleBinding"] = ResourceVersion(await RequireAsync("rbac.authorization.k8s.io", "v1", "rolebindings", ns, $"{pack}-reader")),
            ["ClusterRole"] = ResourceVersion(await RequireAsync("rbac.authorization.k8s.io", "v1", "clusterroles", null, $"{pack}-viewer")),
            ["Deployment"] = ResourceVersion(await RequireAsync("apps", "v1", "deployments", ns, $"{pack}-web")),
            ["ConfigMap"] = ResourceVersion(await RequireAsync("", "v1", "configmaps", ns, $"{pack}-settings")),
        };
    }

    private static string Crd(string pack) => $"widgets.{pack}.example.com";

    private static JsonObject Parameters(string pack) => new() { ["packExecutionRef"] = pack };

    private OciReference Repository(string pack) => OciReference.ForRepository(_registry.Address, $"packs/{pack}");

    private string Manifests(string pack, bool withSettings, bool withCrd, string? sideNamespace = null)
    {
        var ns = fixture.TenantNamespace;
        var yaml = $"""
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: {pack}-web
              namespace: {ns}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: {pack}-reader
              namespace: {ns}
            rules:
            - apiGroups: [""]
              resources: [configmaps]
              verbs: [get, list]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: {pack}-reader
              namespace: {ns}
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Role
              name: {pack}-reader
            subjects:
            - kind: ServiceAccount
              name: {pack}-web
              namespace: {ns}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {pack}-web
              namespace: {ns}
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: {pack}-web
              template:
                metadata:
                  labels:
                    app: {pack}-web
                spec:
                  serviceAccountName: {pack}-web
                  containers:
                  - name: web
                    image: registry.example.invalid/web:1.0
                    ports:
                    - containerPort: 8080

            """;
        if (withSettings)
        {
            fixture.OnDispose(() => fixture.Tenant.RbacAuthorizationV1.DeleteClusterRoleAsync($"{pack}-viewer"));
            yaml += $"""
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: {pack}-viewer
                rules:
                - apiGroups: [apps]
                  resources: [deployments]
                  verbs: [get]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {pack}-settings
                  namespace: {ns}
                data:
                  mode: "1"
                  enabled: "true"

                """;
        }
        if (sideNamespace is not null)
        {
            // The pack ships the Namespace itself, so the inventory lists it.
            fixture.OnDispose(() => fixture.Tenant.CoreV1.DeleteNamespaceAsync(sideNamespace));
            yaml += $"""
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: {sideNamespace}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: {pack}-side
                  namespace: {sideNamespace}
                data:
                  mode: "1"

                """;
        }
        if (withCrd)
        {
            fixture.OnDispose(() => fixture.Tenant.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(Crd(pack)));
            yaml += $"""
                ---
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: {Crd(pack)}
                spec:
                  group: {pack}.example.com
                  scope: Namespaced
                  names:
                    kind: Widget
                    listKind: WidgetList
                    plural: widgets
                    singular: widget
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                ---
                apiVersion: {pack}.example.com/v1
                kind: Widget
                metadata:
                  name: w1
                  namespace: {ns}
                spec:
                  size: 3
                  ratio: 0.5
                  enabled: true

                """;
        }
        return yaml;
    }

    /// <summary>Splits and pushes the manifests exactly as <c>compiler packbuild</c> does.</summary>
    private async Task<PushedLayers> PushAsync(string pack, string version, string yaml)
    {
        fixture.OnDispose(() => fixture.Tenant.CustomObjects.DeleteNamespacedCustomObjectAsync(SeamApi.Group, SeamApi.Version, "ont-system", PackReceipt.Plural, pack));
        var layers = PackLayers.From(ManifestSplitter.Split(ManifestParser.Parse(yaml, $"{pack}.yaml")));
        return await PackLayerPusher.PushAsync(_client, Repository(pack), version, layers, _ => Task.CompletedTask, Token);
    }

    private static JsonObject DeliverySpec(string version, PushedLayers pushed, string url)
    {
        var spec = new JsonObject
        {
            ["version"] = version,
            ["registryRef"] = new JsonObject { ["url"] = url, ["digest"] = pushed.WorkloadDigest },
            ["checksum"] = pushed.Checksum,
            ["rbacDigest"] = pushed.RbacDigest,
            ["workloadDigest"] = pushed.WorkloadDigest,
        };
        if (pushed.ClusterScopedDigest is not null)
        {
            spec["clusterScopedDigest"] = pushed.ClusterScopedDigest;
        }
        return spec;
    }

    private Task CreateDeliveryAsync(string pack, string version, PushedLayers pushed) =>
        fixture.CreateAsync(SeamApi.Group, PackDelivery.Plural, pack, DeliverySpec(version, pushed, Repository(pack).ToString()), PackDelivery.KindName);

    private Task CreateExecutionAsync(string pack, string version) =>
        fixture.CreateAsync(SeamApi.Group, PackExecution.Plural, pack, new JsonObject
        {
            ["clusterPackRef"] = new JsonObject { ["name"] = pack, ["version"] = version },
            ["targetClusterRef"] = fixture.Cluster,
        }, PackExecution.KindName, sign: false);

    /// <summary>Plays the Deployment controller: once the Deployment exists, reports it Available (polled, capped).</summary>
    private async Task PlayDeploymentControllerAsync(string name)
    {
        var patch = new V1Patch("""{"status":{"replicas":1,"readyReplicas":1,"availableReplicas":1,"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable","message":"the test plays the controller"}]}}""",
            V1Patch.PatchType.MergePatch);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTimeOffset.UtcNow + ControllerCap;
        while (DateTimeOffset.UtcNow < deadline && await timer.WaitForNextTickAsync(Token))
        {
            try
            {
                await fixture.Tenant.AppsV1.PatchNamespacedDeploymentStatusAsync(patch, name, fixture.TenantNamespace, cancellationToken: Token);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Not applied yet.
            }
        }
        Assert.Fail($"Deployment {fixture.TenantNamespace}/{name} was not applied within {ControllerCap}");
    }

    private async Task<JsonElement> RequireAsync(string group, string version, string plural, string? @namespace, string name) =>
        await fixture.TenantGetAsync(group, version, plural, @namespace, name)
        ?? throw new Xunit.Sdk.XunitException($"{group}/{version} {plural} {@namespace}/{name} was not applied to the tenant");

    private async Task<JsonElement> ReceiptAsync(string pack) =>
        await fixture.TenantGetAsync(SeamApi.Group, SeamApi.Version, PackReceipt.Plural, "ont-system", pack)
        ?? throw new Xunit.Sdk.XunitException($"PackReceipt ont-system/{pack} was not written");

    private static List<DeployedResource> Inventory(JsonElement receipt) =>
        receipt.GetProperty("spec").GetProperty("deployedResources").Deserialize<List<DeployedResource>>()!;

    private static long ResourceVersion(JsonElement item) =>
        long.Parse(item.GetProperty("metadata").GetProperty("resourceVersion").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
