using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Grains.Federation.Onboarding;
using Conductor.Grains.Signing;
using Conductor.Integration.Tests.Federation;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Resources.Platform;
using Conductor.Resources.Seam;
using Conductor.Runner;
using Conductor.Signing;
using Conductor.Silo.Custody;
using Conductor.Silo.Drift;
using Conductor.Silo.Tenant.Federation;
using Conductor.Silo.Webhook;
using Conductor.TestSupport.Identity;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Logging;
using Grpc.Health.V1;
using k8s;
using k8s.Models;

namespace Conductor.Integration.Tests.LeastPrivilege;

/// <summary>
/// The tenant agent does its work with exactly the RBAC <c>compiler enable</c> grants it: the real <c>conductor</c>
/// process authenticates to the real tenant apiserver as its service account (a client certificate, no admin rights),
/// the bundle's Role and ClusterRole are bound to that account, and the agent elects itself, declares its
/// capabilities, sweeps, is onboarded by management, serves permissions, flips enforcement and records a revocation
/// without a single Forbidden. Withholding one rule the agent needs makes the same run report a Forbidden that names
/// the resource.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class TenantAgentAsServiceAccountTests(FederationFixture fixture) : IClassFixture<FederationFixture>, IAsyncDisposable
{
    private static readonly Ed25519PrivateKey ManagementKey = Ed25519PrivateKey.Generate();
    private const string Version = "2026-11-27T10:00:00Z";

    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<IAsyncDisposable> _cleanup = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnableBundleRbacOnly_FullTenantRun_OutcomesReachedWithoutForbidden()
    {
        var scene = await PrepareAsync("lpok", TenantBundleRbac.FromEnableBundle());
        var pack = await SignedPack.CreateAsync(fixture.Management, scene.ClusterId, ManagementKey, Ct);
        _cleanup.Add(pack);
        await using var tenant = await StartTenantAsync(scene);

        var lease = await tenant.ExpectAsync(() => fixture.Tenant.CoordinationV1.ReadNamespacedLeaseAsync($"conductor-{scene.ClusterId}", scene.Namespace, cancellationToken: Ct),
            l => l.Spec?.HolderIdentity == scene.ClusterId + "-agent-0", "the agent holds its Lease");
        var declared = await tenant.ExpectAsync(() => FederationFixture.ReadRunnerConfigAsync(fixture.Tenant, scene.Namespace, scene.ClusterId),
            r => r.Status?.Capabilities is { Count: > 0 }, "capabilities declared on the RunnerConfig");
        var adopted = await tenant.ExpectAsync(() => ExistingRbac.ReadAsync(fixture.Tenant, scene.Namespace, Ct),
            objects => objects.All(o => Owned(o.Metadata)), "the sweep stamped the Role, RoleBinding, ClusterRole, ClusterRoleBinding and ServiceAccount");
        var receipt = await tenant.ExpectAsync(() => ReadReceiptAsync(scene), r => r?.Status?.Acknowledged == true, "onboarding receipt acknowledged");
        var packReceipt = await tenant.ExpectAsync(() => ReadPackReceiptAsync(scene, pack.PackInstalledName),
            r => r?.Status?.Acknowledged == true, "pack receipt verified and acknowledged");
        // Pack drift as the service account: the receipt lists a ConfigMap in the agent's namespace that is not there;
        // the agent reads it (and its namespace) here and raises the DriftSignal on management.
        await fixture.Tenant.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(new V1Patch(new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["deployedResources"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["namespace"] = scene.Namespace, ["name"] = "pack-settings",
                }),
            },
        }.ToJsonString(), V1Patch.PatchType.MergePatch), SeamApi.Group, SeamApi.Version, scene.Namespace, PackReceipt.Plural, pack.PackInstalledName, cancellationToken: Ct);
        var drift = await tenant.ExpectAsync(() => ReadDriftSignalAsync(scene.ClusterId, DriftNames.PackSignal(pack.PackInstalledName)),
            d => d is not null, "pack DriftSignal raised on management");
        var condition = await tenant.ExpectAsync(() => FederationFixture.ReadAcknowledgementAsync(fixture.Management, fixture.ManagementNamespace, scene.ClusterId), c => c?.Status == "True", "TalosCluster acknowledgement condition");
        var copy = await fixture.Tenant.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            GuardianApi.Group, GuardianApi.Version, scene.Namespace, PermissionSnapshot.Plural, scene.Snapshot, Ct);
        var serving = await tenant.ExpectAsync(tenant.PermissionServiceHealthAsync, s => s == HealthCheckResponse.Types.ServingStatus.Serving, "PermissionService serving");
        var gate = await tenant.ExpectAsync(() => fixture.Tenant.CoreV1.ReadNamespacedConfigMapAsync(EnforcementGate.ConfigMapName, scene.Namespace, cancellationToken: Ct),
            m => Value(m.Data, EnforcementGate.ModeKey) == EnforcementGate.StrictValue, "enforcement switched to strict");

        // Management revokes the snapshot: the tenant leader records the mark in its namespace.
        await fixture.Management.CustomObjects.DeleteNamespacedCustomObjectAsync(
            GuardianApi.Group, GuardianApi.Version, fixture.ManagementNamespace, PermissionSnapshot.Plural, scene.Snapshot, cancellationToken: Ct);
        var marks = await tenant.ExpectAsync(() => fixture.Tenant.CoreV1.ReadNamespacedConfigMapAsync(RevokedArtifacts.ConfigMapName, scene.Namespace, cancellationToken: Ct),
            m => Value(m.Data, RevokedArtifacts.RevocationsKey)?.Contains(scene.Snapshot, StringComparison.Ordinal) == true, "revocation mark written");
        var exit = await tenant.StopAsync();

        Assert.NotNull(lease.Spec.AcquireTime);
        Assert.NotEmpty(declared.Status!.Capabilities!);
        Assert.Equal(5, adopted.Count);
        Assert.All(adopted, o => Assert.Equal("audit", o.Metadata.Annotations[RbacOwnershipPolicy.EnforcementModeAnnotation]));
        Assert.True(receipt!.Status!.Verified);
        Assert.Equal(Version, receipt.Status.AcknowledgedVersion);
        Assert.True(packReceipt!.Status!.Verified);
        Assert.Equal(SignedPack.Delivery, packReceipt.Spec.ClusterPackRef);
        Assert.Contains("pack-settings", drift!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(PermissionSnapshotHandshake.AcknowledgedReason, condition!.Reason);
        Assert.Equal(scene.ClusterId, copy.GetProperty("spec").GetProperty("targetCluster").GetString());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, serving);
        Assert.Equal(scene.ClusterId + "-agent-0", gate.Data["by"]);
        Assert.Contains(scene.Snapshot, marks.Data[RevokedArtifacts.RevocationsKey], StringComparison.Ordinal);
        Assert.Equal(0, exit);
        Assert.True(tenant.ForbiddenLines.Count == 0,
            $"The agent was refused with only the enable bundle's RBAC:\n{string.Join('\n', tenant.ForbiddenLines)}");
    }

    [Fact]
    public async Task EnableBundleWithoutRunnerConfigStatusPatch_SameRun_ReportsForbiddenNamingTheResource()
    {
        var withheld = TenantBundleRbac.FromEnableBundle().Withhold(SeamApi.Group, "runnerconfigs/status", "patch");
        var scene = await PrepareAsync("lpno", withheld);
        await using var tenant = await StartTenantAsync(scene);

        var refusals = await tenant.ExpectAsync(() => Task.FromResult(tenant.ForbiddenLines), lines => lines.Count > 0, "a Forbidden in the agent's log");
        var runnerConfig = await FederationFixture.ReadRunnerConfigAsync(fixture.Tenant, scene.Namespace, scene.ClusterId);

        // The apiserver names the service account it refused: the agent really ran as that identity.
        Assert.Contains(refusals, line => line.Contains("runnerconfigs/status", StringComparison.Ordinal)
            && line.Contains(scene.Identity.UserName, StringComparison.Ordinal));
        Assert.Null(runnerConfig.Status?.Capabilities);
    }

    private sealed record Scene(string ClusterId, string Namespace, string Snapshot, string SweepValue, ServiceAccountCredentials Identity,
        ManagementAgent Management);

    /// <summary>
    /// A tenant namespace holding the bundle's RBAC for its <c>conductor</c> account and RBAC for the sweep to adopt; on
    /// management the cluster's RunnerConfig, TalosCluster and signed PermissionSnapshot, and a running management agent.
    /// </summary>
    private async Task<Scene> PrepareAsync(string prefix, TenantBundleRbac rbac)
    {
        var clusterId = Topology.NewClusterId(prefix);
        var ns = await fixture.CreateTenantNamespaceAsync();
        var sweepValue = clusterId;
        await fixture.Tenant.CoreV1.PatchNamespaceAsync(new V1Patch(
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [ServiceAccountTenant.SweepLabel] = sweepValue } } }.ToJsonString(),
            V1Patch.PatchType.MergePatch), ns, cancellationToken: Ct);
        _cleanup.Add(await rbac.ApplyAsync(fixture.Tenant, ns, Ct));

        _cleanup.Add(await ExistingRbac.CreateAsync(fixture.Tenant, ns, sweepValue, Ct));

        await FederationFixture.CreateRunnerConfigAsync(fixture.Management, fixture.ManagementNamespace, clusterId);
        await FederationFixture.CreateRunnerConfigAsync(fixture.Tenant, ns, clusterId);
        await FederationFixture.CreateTalosClusterAsync(fixture.Management, fixture.ManagementNamespace, clusterId);
        var snapshot = await CreateSignedSnapshotAsync(clusterId);

        var identity = ServiceAccountCredentials.Mint(KubeFixture.TenantKubeconfigVariable, ns, TenantBundleRbac.ServiceAccount,
            Path.Combine(fixture.Directory, "identities"));
        var management = new ManagementAgent(fixture, _logs);
        _cleanup.Add(management);
        await management.StartAsync();
        return new Scene(clusterId, ns, snapshot, sweepValue, identity, management);
    }

    private Task<ServiceAccountTenant> StartTenantAsync(Scene scene) =>
        ServiceAccountTenant.StartAsync(fixture, scene.Management, scene.Identity, scene.ClusterId, scene.SweepValue, ManagementKey, Ct);

    private static bool Owned(V1ObjectMeta metadata) => Value(metadata.Annotations, RbacOwnershipPolicy.OwnerAnnotation) == RbacOwnershipPolicy.OwnerValue;

    private static string? Value(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var value) ? value : null;

    private async Task<string> CreateSignedSnapshotAsync(string clusterId)
    {
        var name = $"snap-{Guid.NewGuid().ToString("N")[..8]}";
        var spec = new JsonObject
        {
            ["targetCluster"] = clusterId,
            ["version"] = Version,
            ["freshnessWindowSeconds"] = 300,
            ["principalPermissions"] = new JsonArray(new JsonObject
            {
                ["principalRef"] = "system:serviceaccount:team-a:reader",
                ["allowedOperations"] = new JsonArray(new JsonObject { ["apiGroup"] = "apps", ["resource"] = "deployments", ["verbs"] = new JsonArray("get") }),
            }),
        };
        var created = await fixture.Management.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(new JsonObject
        {
            ["apiVersion"] = GuardianApi.ApiVersion,
            ["kind"] = PermissionSnapshot.KindName,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = fixture.ManagementNamespace },
            ["spec"] = spec,
        }, GuardianApi.Group, GuardianApi.Version, fixture.ManagementNamespace, PermissionSnapshot.Plural, cancellationToken: Ct);
        // Signed over the stored spec, as the management signing grain signs it.
        var desired = DesiredSignature.For(SpecDigest.Of(created.GetProperty("spec").GetRawText()), ManagementKey);
        var annotations = new JsonObject { [SignatureAnnotations.Signature] = desired.Signature, [SignatureAnnotations.SpecHash] = desired.SpecHash };
        await fixture.Management.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } }.ToJsonString(), V1Patch.PatchType.MergePatch),
            GuardianApi.Group, GuardianApi.Version, fixture.ManagementNamespace, PermissionSnapshot.Plural, name, cancellationToken: Ct);
        return name;
    }

    private async Task<PermissionSnapshotReceipt?> ReadReceiptAsync(Scene scene)
    {
        var list = await fixture.Tenant.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
            GuardianApi.Group, GuardianApi.Version, scene.Namespace, PermissionSnapshotReceipt.Plural, fieldSelector: $"metadata.name={scene.Snapshot}", cancellationToken: Ct);
        var item = list.GetProperty("items").EnumerateArray().FirstOrDefault();
        return item.ValueKind == JsonValueKind.Undefined ? null : KubernetesJson.Deserialize<PermissionSnapshotReceipt>(item.GetRawText());
    }

    private async Task<JsonElement?> ReadDriftSignalAsync(string clusterId, string name)
    {
        var list = await fixture.Management.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(SeamApi.Group, SeamApi.Version,
            DriftNames.TenantNamespace(clusterId), DriftSignal.Plural, fieldSelector: $"metadata.name={name}", cancellationToken: Ct);
        var item = list.GetProperty("items").EnumerateArray().FirstOrDefault();
        return item.ValueKind == JsonValueKind.Undefined ? null : item;
    }

    private async Task<PackReceipt?> ReadPackReceiptAsync(Scene scene, string name)
    {
        var list = await fixture.Tenant.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
            SeamApi.Group, SeamApi.Version, scene.Namespace, PackReceipt.Plural, fieldSelector: $"metadata.name={name}", cancellationToken: Ct);
        var item = list.GetProperty("items").EnumerateArray().FirstOrDefault();
        return item.ValueKind == JsonValueKind.Undefined ? null : KubernetesJson.Deserialize<PackReceipt>(item.GetRawText());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup))
        {
            await item.DisposeAsync();
        }
    }
}
