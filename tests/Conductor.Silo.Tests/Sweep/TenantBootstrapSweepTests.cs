using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Silo.Leadership;
using Conductor.Silo.Sweep;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.TestHosting;
using Conductor.Silo.Webhook;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Logging;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Silo.Tests.Sweep;

/// <summary>
/// The sweep on the real kube-apiserver. The server is shared, so the sweep is scoped by label selectors to objects
/// this class creates; the guardian-absent case points the discovery step at a group version no server serves
/// (the guardian CRDs themselves are shared by every test and cannot be uninstalled).
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class TenantBootstrapSweepTests(KubeFixture kube) : IAsyncLifetime
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private readonly string _scope = Guid.NewGuid().ToString("N");
    private readonly List<string> _namespaces = [];
    private readonly List<ServiceProvider> _agents = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ScopeSelector => $"conductor.ontai.dev/sweep-scope={_scope}";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.GetRequiredService<LeaseElection>().StopAsync(CancellationToken.None);
            await agent.DisposeAsync();
        }
        foreach (var ns in _namespaces)
        {
            await kube.Client.CoreV1.DeleteNamespaceAsync(ns);
        }
        await kube.Client.RbacAuthorizationV1.DeleteCollectionClusterRoleAsync(labelSelector: ScopeSelector);
    }

    [Fact]
    public async Task RunOnce_Twice_StampsAndCreatesOnceThenChangesNothing()
    {
        var ns = await NamespaceAsync();
        await SeedRbacAsync(ns);
        var sweep = await LeaderSweepAsync(ns, "ccs-sweep-a", guardianApiVersion: null);

        var first = await sweep.RunOnceAsync(Ct);
        var role = await kube.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("app-reader", ns, cancellationToken: Ct);
        var set = await kube.Client.CustomObjects.GetNamespacedCustomObjectAsync<PermissionSet>(
            GuardianApi.Group, GuardianApi.Version, ns, PermissionSet.Plural, "cert-manager-baseline", Ct);
        var second = await sweep.RunOnceAsync(Ct);
        var roleAgain = await kube.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("app-reader", ns, cancellationToken: Ct);
        var setAgain = await kube.Client.CustomObjects.GetNamespacedCustomObjectAsync<PermissionSet>(
            GuardianApi.Group, GuardianApi.Version, ns, PermissionSet.Plural, "cert-manager-baseline", Ct);
        var profile = await kube.Client.CustomObjects.GetNamespacedCustomObjectAsync<RBACProfile>(
            GuardianApi.Group, GuardianApi.Version, ns, RBACProfile.Plural, "rbac-cert-manager", Ct);
        var clusterRole = await kube.Client.RbacAuthorizationV1.ReadClusterRoleAsync($"sweep-{_scope}", cancellationToken: Ct);
        var system = await kube.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("system:kept", ns, cancellationToken: Ct);

        Assert.Empty(first.Errors);
        Assert.Equal(4, first.Stamped);
        Assert.Equal(3, first.Created);
        Assert.Equal(new[] { "cert-manager" }, first.ComponentsPresent);
        Assert.True(first.GuardianServed);
        Assert.Equal("guardian", role.Metadata.Annotations[RbacOwnershipPolicy.OwnerAnnotation]);
        Assert.Equal("audit", role.Metadata.Annotations[RbacOwnershipPolicy.EnforcementModeAnnotation]);
        Assert.Equal("guardian", clusterRole.Metadata.Annotations[RbacOwnershipPolicy.OwnerAnnotation]);
        Assert.Null(system.Metadata.Annotations);
        Assert.Equal($"system:serviceaccount:{ns}:cert-manager", profile.Spec.PrincipalRef);
        Assert.Equal("cert-manager-rbac-policy", profile.Spec.RbacPolicyRef);
        Assert.Equal(0, second.Stamped);
        Assert.Equal(0, second.Created);
        Assert.Equal(role.Metadata.ResourceVersion, roleAgain.Metadata.ResourceVersion);
        Assert.Equal(set.Metadata.ResourceVersion, setAgain.Metadata.ResourceVersion);
        Assert.False(second.Flipped);
    }

    [Fact]
    public async Task RunOnce_GuardianKindsNotServed_StampsAndSkipsProfilesGracefully()
    {
        var ns = await NamespaceAsync();
        await SeedRbacAsync(ns);
        var sweep = await LeaderSweepAsync(ns, "ccs-sweep-b", guardianApiVersion: "absent.guardian.ontai.dev/v1alpha1");

        var first = await sweep.RunOnceAsync(Ct);
        var second = await sweep.RunOnceAsync(Ct);
        var sets = await kube.Client.CustomObjects.ListNamespacedCustomObjectAsync<PermissionSetList>(
            GuardianApi.Group, GuardianApi.Version, ns, PermissionSet.Plural, cancellationToken: Ct);

        Assert.Empty(first.Errors);
        Assert.False(first.GuardianServed);
        Assert.Equal(4, first.Stamped);
        Assert.Equal(0, first.Created);
        Assert.Empty(sets.Items ?? []);
        Assert.Equal(0, second.Stamped);
    }

    [Fact]
    public async Task RunOnce_AfterVerifiedReceipt_FlipsStrictOnceAndStandbyReplicaFollows()
    {
        var ns = await NamespaceAsync();
        var sweep = await LeaderSweepAsync(ns, "ccs-sweep-c", guardianApiVersion: null);
        var (standby, _) = Agent(ns, "ccs-sweep-c", "standby", guardianApiVersion: null);
        var standbyGate = standby.GetRequiredService<EnforcementGate>();
        var standbySync = standby.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<EnforcementStateSync>().Single();
        await standbySync.StartAsync(Ct);
        var leaderGate = _agents[0].GetRequiredService<EnforcementGate>();

        var beforeReceipt = await sweep.RunOnceAsync(Ct);
        await CreateVerifiedReceiptAsync(ns, "ccs-sweep-c");
        var withReceipt = await sweep.RunOnceAsync(Ct);
        await standbyGate.StrictAsync(Ct).WaitAsync(Cap, Ct);
        var again = await sweep.RunOnceAsync(Ct);
        await standbySync.StopAsync(CancellationToken.None);

        Assert.False(beforeReceipt.Flipped);
        Assert.True(withReceipt.Flipped);
        Assert.False(again.Flipped);
        Assert.True(leaderGate.IsStrict);
        Assert.Equal(1, leaderGate.Flips);
        Assert.True(standbyGate.IsStrict);
        Assert.Equal(0, standbyGate.Flips);
    }

    private async Task<string> NamespaceAsync()
    {
        var name = $"conductor-test-{Guid.NewGuid():N}";
        await kube.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    [TestNamespace.TestLabel] = "true",
                    ["conductor.ontai.dev/sweep-scope"] = _scope,
                    ["conductor.ontai.dev/sweep-ns"] = name,
                },
            },
        }, cancellationToken: Ct);
        _namespaces.Add(name);
        return name;
    }

    private async Task SeedRbacAsync(string ns)
    {
        var rules = new List<V1PolicyRule> { new() { ApiGroups = [""], Resources = ["pods"], Verbs = ["get"] } };
        await kube.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = "app-reader" }, Rules = rules }, ns, cancellationToken: Ct);
        await kube.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = "system:kept" }, Rules = rules }, ns, cancellationToken: Ct);
        await kube.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "app-reader" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "app-reader" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "builder", NamespaceProperty = ns }],
        }, ns, cancellationToken: Ct);
        await kube.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "builder" } }, ns, cancellationToken: Ct);
        try
        {
            await kube.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
            {
                Metadata = new V1ObjectMeta { Name = $"sweep-{_scope}", Labels = new Dictionary<string, string> { ["conductor.ontai.dev/sweep-scope"] = _scope } },
                Rules = rules,
            }, cancellationToken: Ct);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Shared by the tests of this class; stamped already by an earlier test is fine for the counts below
            // only when each test owns it, so reset it to unannotated.
            await kube.Client.RbacAuthorizationV1.PatchClusterRoleAsync(new V1Patch(
                """{"metadata":{"annotations":null}}""", V1Patch.PatchType.MergePatch), $"sweep-{_scope}", cancellationToken: Ct);
        }
    }

    private async Task<TenantBootstrapSweep> LeaderSweepAsync(string ns, string cluster, string? guardianApiVersion)
    {
        var (agent, _) = Agent(ns, cluster, "sweeper", guardianApiVersion);
        await agent.GetRequiredService<LeaseElection>().StartAsync(Ct);
        await agent.GetRequiredService<ILeadership>().WaitForLeadershipAsync(Ct).WaitAsync(Cap, Ct);
        return agent.GetRequiredService<TenantBootstrapSweep>();
    }

    private (ServiceProvider Agent, RecordingLoggerProvider Logs) Agent(string ns, string cluster, string identity, string? guardianApiVersion)
    {
        var logs = new RecordingLoggerProvider();
        var settings = AgentServices.FastLease(ns, cluster, identity);
        settings[SweepOptions.NamespaceSelectorEnvVar] = $"conductor.ontai.dev/sweep-ns={ns}";
        settings[SweepOptions.ClusterScopedSelectorEnvVar] = ScopeSelector;
        var agent = AgentServices.Build(kube.Client, logs, settings, services =>
        {
            services.AddTenantBootstrapSweep();
            services.PostConfigure<SweepOptions>(o =>
            {
                o.Components = [new ThirdPartyComponent("cert-manager", ns, "cert-manager"), new ThirdPartyComponent("kueue", $"absent-{_scope}", "kueue-controller-manager")];
                o.GuardianApiVersion = guardianApiVersion ?? o.GuardianApiVersion;
            });
        });
        _agents.Add(agent);
        return (agent, logs);
    }

    private async Task CreateVerifiedReceiptAsync(string ns, string cluster)
    {
        await kube.Client.CustomObjects.CreateNamespacedCustomObjectAsync(new PermissionSnapshotReceipt
        {
            Metadata = new V1ObjectMeta { Name = $"snapshot-{cluster}" },
            Spec = new PermissionSnapshotReceiptSpec { SnapshotRef = $"snapshot-{cluster}", TargetCluster = cluster, Version = "v1" },
        }, GuardianApi.Group, GuardianApi.Version, ns, PermissionSnapshotReceipt.Plural, cancellationToken: Ct);
        await kube.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(
            """{"status":{"verified":true,"acknowledged":true,"acknowledgedVersion":"v1"}}""", V1Patch.PatchType.MergePatch),
            GuardianApi.Group, GuardianApi.Version, ns, PermissionSnapshotReceipt.Plural, $"snapshot-{cluster}", cancellationToken: Ct);
    }

    private sealed class PermissionSetList
    {
        [System.Text.Json.Serialization.JsonPropertyName("items")]
        public List<PermissionSet>? Items { get; set; }
    }
}
