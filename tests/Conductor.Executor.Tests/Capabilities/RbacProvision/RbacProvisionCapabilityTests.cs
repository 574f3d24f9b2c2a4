using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Runner.Results;
using k8s;
using k8s.Models;

namespace Conductor.Executor.Tests.Capabilities.RbacProvision;

/// <summary>rbac-provision: a PermissionSnapshot on the management apiserver, its RBAC applied to the tenant apiserver.</summary>
public sealed class RbacProvisionCapabilityTests(TargetClusterFixture fixture) : IClassFixture<TargetClusterFixture>
{
    private const string Rbac = "rbac.authorization.k8s.io";

    [Fact]
    public async Task Run_SignedSnapshot_AppliesRolesAndBindingsOfEverySubjectAndPrincipal()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateAsync(GuardianApi.Group, PermissionSnapshot.Plural, $"snap-{id}", Snapshot(id, fixture.Cluster), PermissionSnapshot.KindName);
        Cleanup(id);

        var result = await fixture.RunJobAsync($"rbac-{id}", "rbac-provision", new JsonObject { ["permissionSnapshotRef"] = $"snap-{id}" });

        Assert.True(result.Status == OperationStatus.Succeeded, result.FailureReason?.Detail);
        Assert.Equal(["verify-signature", "apply-rbac", "prune"], result.Steps.Select(s => s.Name).ToArray());
        Assert.Equal("0 of 0 RBAC objects of older versions deleted", result.Steps[2].Message);
        Assert.Equal("6 RBAC objects applied", result.Steps[1].Message);
        var role = await RequireAsync("roles", fixture.TenantNamespace, $"seam:snapshot:serviceaccount:deployer-{id}");
        var rule = role.GetProperty("rules")[0];
        Assert.Equal(["apps"], rule.GetProperty("apiGroups").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.Equal(["get", "list"], rule.GetProperty("verbs").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.Equal("guardian", role.GetProperty("metadata").GetProperty("annotations").GetProperty("ontai.dev/rbac-owner").GetString());
        Assert.Equal("2026-11-27T10:00:00Z", role.GetProperty("metadata").GetProperty("annotations").GetProperty("guardian.ontai.dev/snapshot-version").GetString());
        var binding = await RequireAsync("rolebindings", fixture.TenantNamespace, $"seam:snapshot:serviceaccount:deployer-{id}");
        var subject = binding.GetProperty("subjects")[0];
        Assert.Equal(("ServiceAccount", $"deployer-{id}", fixture.TenantNamespace),
            (subject.GetProperty("kind").GetString(), subject.GetProperty("name").GetString(), subject.GetProperty("namespace").GetString()));
        await RequireAsync("clusterroles", null, $"seam:snapshot:user:alice-{id}");
        await RequireAsync("clusterrolebindings", null, $"seam:snapshot:user:alice-{id}");
        var principal = await RequireAsync("clusterroles", null, $"seam:principal:admin-{id}");
        // Only the operation allowed on every cluster or on this one is granted here.
        Assert.Equal(["deployments"], principal.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("resources")[0].GetString()).ToArray());
        var principalBinding = await RequireAsync("clusterrolebindings", null, $"seam:principal:admin-{id}");
        Assert.Equal("User", principalBinding.GetProperty("subjects")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Run_NewSnapshotVersion_PrunesWhatTheOldVersionHadAndLeavesOtherObjects()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var snapshot = $"snap-{id}";
        await fixture.CreateAsync(GuardianApi.Group, PermissionSnapshot.Plural, snapshot, Snapshot(id, fixture.Cluster), PermissionSnapshot.KindName);
        Cleanup(id);
        var first = await fixture.RunJobAsync($"rbac-{id}-1", "rbac-provision", new JsonObject { ["permissionSnapshotRef"] = snapshot });
        Assert.True(first.Status == OperationStatus.Succeeded, first.FailureReason?.Detail);
        // Neighbours a prune must never touch: one Conductor made for another snapshot carrying the same label value
        // (as a hash collision would), and one made by someone else.
        var labels = (await RequireAsync("clusterroles", null, $"seam:snapshot:user:alice-{id}")).GetProperty("metadata").GetProperty("labels")
            .Deserialize<Dictionary<string, string>>()!;
        await CreateClusterRoleAsync($"other-snapshot-{id}", labels, new Dictionary<string, string>
        {
            ["guardian.ontai.dev/permission-snapshot"] = $"{fixture.ManagementNamespace}/another",
        });
        await CreateClusterRoleAsync($"hand-made-{id}", new Dictionary<string, string> { ["team"] = "ops" }, null);

        // Version 2 drops the User subject alice; management re-signs the changed spec.
        var v2 = Snapshot(id, fixture.Cluster);
        v2["version"] = "2026-11-27T11:00:00Z";
        v2["subjects"]!.AsArray().RemoveAt(1);
        await fixture.MergePatchAsync(GuardianApi.Group, PermissionSnapshot.Plural, snapshot, new JsonObject { ["spec"] = v2 });
        await fixture.SignAsync(GuardianApi.Group, PermissionSnapshot.Plural, snapshot);
        var second = await fixture.RunJobAsync($"rbac-{id}-2", "rbac-provision", new JsonObject { ["permissionSnapshotRef"] = snapshot });

        Assert.True(second.Status == OperationStatus.Succeeded, second.FailureReason?.Detail);
        Assert.Equal("4 RBAC objects applied", second.Steps[1].Message);
        Assert.Equal("2 of 2 RBAC objects of older versions deleted", second.Steps[2].Message);
        Assert.Null(await fixture.TenantGetAsync(Rbac, "v1", "clusterroles", null, $"seam:snapshot:user:alice-{id}"));
        Assert.Null(await fixture.TenantGetAsync(Rbac, "v1", "clusterrolebindings", null, $"seam:snapshot:user:alice-{id}"));
        var kept = await RequireAsync("roles", fixture.TenantNamespace, $"seam:snapshot:serviceaccount:deployer-{id}");
        Assert.Equal("2026-11-27T11:00:00Z", kept.GetProperty("metadata").GetProperty("annotations").GetProperty("guardian.ontai.dev/snapshot-version").GetString());
        await RequireAsync("clusterroles", null, $"seam:principal:admin-{id}");
        await RequireAsync("clusterroles", null, $"other-snapshot-{id}");
        await RequireAsync("clusterroles", null, $"hand-made-{id}");
        Assert.Contains(fixture.Logs.Entries, e => e.EventId.Name == "Pruned" && e.Message.Contains($"snap-{id}", StringComparison.Ordinal)
            && e.Message.Contains("pruned 2 of 2", StringComparison.Ordinal) && e.Message.Contains("of version 2026-11-27T10:00:00Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_UnsignedSnapshot_AppliesNothingAndNamesTheCause()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateAsync(GuardianApi.Group, PermissionSnapshot.Plural, $"snap-{id}", Snapshot(id, fixture.Cluster), PermissionSnapshot.KindName,
            sign: false);
        Cleanup(id);

        var result = await fixture.RunJobAsync($"rbac-{id}", "rbac-provision", new JsonObject { ["permissionSnapshotRef"] = $"snap-{id}" });

        Assert.Equal(OperationStatus.Failed, result.Status);
        Assert.Equal(FailureCategory.ValidationFailure, result.FailureReason!.Category);
        Assert.Contains($"PermissionSnapshot {fixture.ManagementNamespace}/snap-{id} failed signature verification (Missing)", result.FailureReason.Detail,
            StringComparison.Ordinal);
        Assert.Null(await fixture.TenantGetAsync(Rbac, "v1", "clusterroles", null, $"seam:principal:admin-{id}"));
        Assert.Null(await fixture.TenantGetAsync(Rbac, "v1", "roles", fixture.TenantNamespace, $"seam:snapshot:serviceaccount:deployer-{id}"));
    }

    [Fact]
    public async Task Run_SnapshotTamperedAfterSigning_AppliesNothing()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateAsync(GuardianApi.Group, PermissionSnapshot.Plural, $"snap-{id}", Snapshot(id, fixture.Cluster), PermissionSnapshot.KindName);
        Cleanup(id);
        await fixture.MergePatchAsync(GuardianApi.Group, PermissionSnapshot.Plural, $"snap-{id}", new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["principalPermissions"] = new JsonArray(new JsonObject
                {
                    ["principalRef"] = $"admin-{id}",
                    ["allowedOperations"] = new JsonArray(new JsonObject { ["apiGroup"] = "*", ["resource"] = "*", ["verbs"] = new JsonArray("*") }),
                }),
            },
        });

        var result = await fixture.RunJobAsync($"rbac-{id}", "rbac-provision", new JsonObject { ["permissionSnapshotRef"] = $"snap-{id}" });

        Assert.Equal(FailureCategory.ValidationFailure, result.FailureReason!.Category);
        Assert.Contains("failed signature verification (BadSignature)", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.Null(await fixture.TenantGetAsync(Rbac, "v1", "clusterroles", null, $"seam:principal:admin-{id}"));
    }

    [Fact]
    public async Task Run_SnapshotForAnotherCluster_AppliesNothing()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateAsync(GuardianApi.Group, PermissionSnapshot.Plural, $"snap-{id}", Snapshot(id, "some-other-cluster"), PermissionSnapshot.KindName);
        Cleanup(id);

        var result = await fixture.RunJobAsync($"rbac-{id}", "rbac-provision", new JsonObject { ["permissionSnapshotRef"] = $"snap-{id}" });

        Assert.Equal(FailureCategory.ValidationFailure, result.FailureReason!.Category);
        Assert.Contains($"targets cluster 'some-other-cluster', not '{fixture.Cluster}'", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.Null(await fixture.TenantGetAsync(Rbac, "v1", "clusterroles", null, $"seam:principal:admin-{id}"));
    }

    [Fact]
    public async Task Run_TargetKubeconfigMissing_RecordsValidationFailureNamingThePath()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        await fixture.CreateAsync(GuardianApi.Group, PermissionSnapshot.Plural, $"snap-{id}", Snapshot(id, fixture.Cluster), PermissionSnapshot.KindName);
        Cleanup(id);

        var result = await fixture.RunJobAsync($"rbac-{id}", "rbac-provision", new JsonObject { ["permissionSnapshotRef"] = $"snap-{id}" },
            new Dictionary<string, string> { ["TARGET_KUBECONFIG"] = "/nonexistent/kubeconfig" });

        Assert.Equal(FailureCategory.ValidationFailure, result.FailureReason!.Category);
        Assert.StartsWith("target kubeconfig /nonexistent/kubeconfig does not exist", result.FailureReason.Detail, StringComparison.Ordinal);
        Assert.Equal(OperationStepStatus.Succeeded, Assert.Single(result.Steps).Status);
    }

    // The test apiserver refuses "" inside custom-resource string arrays, so the rules use named groups only.
    private JsonObject Snapshot(string id, string cluster) => new()
    {
        ["targetCluster"] = cluster,
        ["version"] = "2026-11-27T10:00:00Z",
        ["subjects"] = new JsonArray(
            new JsonObject
            {
                ["subjectName"] = $"deployer-{id}",
                ["subjectKind"] = "ServiceAccount",
                ["namespace"] = fixture.TenantNamespace,
                ["permissions"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray("apps"),
                    ["resources"] = new JsonArray("deployments"),
                    ["verbs"] = new JsonArray("get", "list"),
                }),
            },
            new JsonObject
            {
                ["subjectName"] = $"alice-{id}",
                ["subjectKind"] = "User",
                ["permissions"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray("rbac.authorization.k8s.io"),
                    ["resources"] = new JsonArray("clusterroles"),
                    ["verbs"] = new JsonArray("get"),
                }),
            }),
        ["principalPermissions"] = new JsonArray(new JsonObject
        {
            ["principalRef"] = $"admin-{id}",
            ["allowedOperations"] = new JsonArray(
                new JsonObject { ["apiGroup"] = "apps", ["resource"] = "deployments", ["verbs"] = new JsonArray("get") },
                new JsonObject { ["apiGroup"] = "apps", ["resource"] = "statefulsets", ["verbs"] = new JsonArray("get"), ["clusters"] = new JsonArray("elsewhere") }),
        }),
    };

    private void Cleanup(string id)
    {
        fixture.OnDispose(() => fixture.Tenant.RbacAuthorizationV1.DeleteClusterRoleAsync($"seam:snapshot:user:alice-{id}"));
        fixture.OnDispose(() => fixture.Tenant.RbacAuthorizationV1.DeleteClusterRoleBindingAsync($"seam:snapshot:user:alice-{id}"));
        fixture.OnDispose(() => fixture.Tenant.RbacAuthorizationV1.DeleteClusterRoleAsync($"seam:principal:admin-{id}"));
        fixture.OnDispose(() => fixture.Tenant.RbacAuthorizationV1.DeleteClusterRoleBindingAsync($"seam:principal:admin-{id}"));
    }

    private async Task CreateClusterRoleAsync(string name, IDictionary<string, string> labels, IDictionary<string, string>? annotations)
    {
        fixture.OnDispose(() => fixture.Tenant.RbacAuthorizationV1.DeleteClusterRoleAsync(name));
        await fixture.Tenant.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels, Annotations = annotations },
            Rules = [new V1PolicyRule { ApiGroups = ["apps"], Resources = ["deployments"], Verbs = ["get"] }],
        }, cancellationToken: TestContext.Current.CancellationToken);
    }

    private async Task<JsonElement> RequireAsync(string plural, string? @namespace, string name) =>
        await fixture.TenantGetAsync(Rbac, "v1", plural, @namespace, name)
        ?? throw new Xunit.Sdk.XunitException($"{plural} {@namespace}/{name} was not applied to the tenant");
}
