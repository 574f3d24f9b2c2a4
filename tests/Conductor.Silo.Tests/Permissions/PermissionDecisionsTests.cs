using Conductor.Resources.Guardian;
using Conductor.Silo.Permissions;

namespace Conductor.Silo.Tests.Permissions;

/// <summary>The pure decision engine: Kubernetes RBAC semantics over an expanded snapshot.</summary>
public sealed class PermissionDecisionsTests
{
    private const string Cluster = "ccs-dev";

    private static LoadedSnapshot Snapshot(params PermissionGrant[] grants) => new("snapshot-ccs-dev", "v1", Cluster, grants);

    private static PermissionGrant Grant(
        string principal, string[] verbs, string[] groups, string[] resources, string[]? names = null, string[]? clusters = null, string? ns = null) =>
        new(principal, groups, resources, verbs, names ?? [], clusters ?? [], ns);

    private static PermissionQuestion Ask(string principal, string verb, string group, string resource, string name = "", string ns = "", string cluster = Cluster) =>
        new(principal, cluster, group, resource, verb, name, ns);

    [Fact]
    public void Check_NoSnapshot_DeniesSayingNothingIsLoaded()
    {
        var decision = PermissionDecisions.Check(null, Ask("alice", "get", "apps", "deployments"));

        Assert.False(decision.Allowed);
        Assert.Equal(PermissionDecisions.NotLoadedReason, decision.Reason);
        Assert.Equal("", decision.SnapshotVersion);
    }

    [Fact]
    public void Check_ExactRule_AllowsWithMatchedGrantAndVersion()
    {
        var grant = Grant("alice", ["get", "list"], ["apps"], ["deployments"]);

        var decision = PermissionDecisions.Check(Snapshot(grant), Ask("alice", "list", "apps", "deployments"));

        Assert.True(decision.Allowed);
        Assert.Same(grant, decision.MatchedGrant);
        Assert.Equal("v1", decision.SnapshotVersion);
        Assert.Contains("allowed", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("delete", "apps", "deployments", "verb")]
    [InlineData("get", "batch", "deployments", "apiGroup")]
    [InlineData("get", "apps", "statefulsets", "resource")]
    public void Check_OneDimensionDiffers_DeniesNamingIt(string verb, string group, string resource, string dimension)
    {
        var snapshot = Snapshot(Grant("alice", ["get"], ["apps"], ["deployments"]));

        var decision = PermissionDecisions.Check(snapshot, Ask("alice", verb, group, resource));

        Assert.False(decision.Allowed);
        Assert.Null(decision.MatchedGrant);
        Assert.Contains($"did not match on {dimension} (", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UnknownPrincipal_DeniesNamingThePrincipal()
    {
        var decision = PermissionDecisions.Check(Snapshot(Grant("alice", ["*"], ["*"], ["*"])), Ask("mallory", "get", "apps", "deployments"));

        Assert.False(decision.Allowed);
        Assert.Contains("\"mallory\" has no grants", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AllWildcards_AllowsAnyVerbGroupResourceAndSubresource()
    {
        var snapshot = Snapshot(Grant("admin", ["*"], ["*"], ["*"]));

        Assert.True(PermissionDecisions.Check(snapshot, Ask("admin", "escalate", "rbac.authorization.k8s.io", "clusterroles")).Allowed);
        Assert.True(PermissionDecisions.Check(snapshot, Ask("admin", "get", "", "pods/log", "web-0", "shop")).Allowed);
    }

    [Fact]
    public void Check_ResourceWithoutSubresource_DoesNotGrantTheSubresource()
    {
        var snapshot = Snapshot(Grant("alice", ["get"], ["apps"], ["deployments"]));

        Assert.False(PermissionDecisions.Check(snapshot, Ask("alice", "get", "apps", "deployments/scale")).Allowed);
    }

    [Fact]
    public void Check_ExactSubresource_GrantsOnlyThatSubresource()
    {
        var snapshot = Snapshot(Grant("alice", ["update"], ["apps"], ["deployments/scale"]));

        Assert.True(PermissionDecisions.Check(snapshot, Ask("alice", "update", "apps", "deployments/scale")).Allowed);
        Assert.False(PermissionDecisions.Check(snapshot, Ask("alice", "update", "apps", "deployments")).Allowed);
        Assert.False(PermissionDecisions.Check(snapshot, Ask("alice", "update", "apps", "deployments/status")).Allowed);
    }

    [Fact]
    public void Check_StarSlashSubresource_GrantsThatSubresourceOfEveryResourceButNotTheResources()
    {
        var snapshot = Snapshot(Grant("scaler", ["update"], ["apps"], ["*/scale"]));

        Assert.True(PermissionDecisions.Check(snapshot, Ask("scaler", "update", "apps", "deployments/scale")).Allowed);
        Assert.True(PermissionDecisions.Check(snapshot, Ask("scaler", "update", "apps", "statefulsets/scale")).Allowed);
        Assert.False(PermissionDecisions.Check(snapshot, Ask("scaler", "update", "apps", "deployments")).Allowed);
        Assert.False(PermissionDecisions.Check(snapshot, Ask("scaler", "update", "apps", "deployments/status")).Allowed);
    }

    [Fact]
    public void Check_ResourceNames_AllowOnlyNamedObjectsAndNeverUnnamedRequests()
    {
        var snapshot = Snapshot(Grant("alice", ["get", "list"], ["apps"], ["deployments"], names: ["web"]));

        Assert.True(PermissionDecisions.Check(snapshot, Ask("alice", "get", "apps", "deployments", "web")).Allowed);
        var other = PermissionDecisions.Check(snapshot, Ask("alice", "get", "apps", "deployments", "db"));
        var unnamed = PermissionDecisions.Check(snapshot, Ask("alice", "list", "apps", "deployments"));

        Assert.False(other.Allowed);
        Assert.Contains("resourceName (grants only [web])", other.Reason, StringComparison.Ordinal);
        Assert.False(unnamed.Allowed);
    }

    [Fact]
    public void Check_NamespaceBoundGrant_AllowsOnlyInItsNamespaceAndNotClusterScoped()
    {
        var snapshot = Snapshot(Grant("alice", ["get"], ["apps"], ["deployments"], ns: "shop"));

        Assert.True(PermissionDecisions.Check(snapshot, Ask("alice", "get", "apps", "deployments", ns: "shop")).Allowed);
        var elsewhere = PermissionDecisions.Check(snapshot, Ask("alice", "get", "apps", "deployments", ns: "billing"));
        var clusterWide = PermissionDecisions.Check(snapshot, Ask("alice", "get", "apps", "deployments"));

        Assert.False(elsewhere.Allowed);
        Assert.Contains("namespace (bound to shop)", elsewhere.Reason, StringComparison.Ordinal);
        Assert.False(clusterWide.Allowed);
    }

    [Fact]
    public void Check_ClusterWideGrant_AllowsInEveryNamespace()
    {
        var snapshot = Snapshot(Grant("alice", ["get"], ["apps"], ["deployments"]));

        Assert.True(PermissionDecisions.Check(snapshot, Ask("alice", "get", "apps", "deployments", ns: "anything")).Allowed);
    }

    [Fact]
    public void Check_ClusterList_AllowsListedClustersOnly()
    {
        var snapshot = Snapshot(Grant("alice", ["get"], ["apps"], ["deployments"], clusters: ["ccs-dev"]));

        Assert.True(PermissionDecisions.Check(snapshot, Ask("alice", "get", "apps", "deployments")).Allowed);
        var other = PermissionDecisions.Check(snapshot, Ask("alice", "get", "apps", "deployments", cluster: "ccs-test"));
        Assert.False(other.Allowed);
        Assert.Contains("cluster (grants only [ccs-dev])", other.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_VerbsAreCaseSensitive_DeniesDifferentCase()
    {
        var snapshot = Snapshot(Grant("alice", ["get"], ["apps"], ["deployments"]));

        Assert.False(PermissionDecisions.Check(snapshot, Ask("alice", "GET", "apps", "deployments")).Allowed);
    }

    [Fact]
    public void Check_SecondGrantMatches_Allows()
    {
        var snapshot = Snapshot(
            Grant("alice", ["get"], ["apps"], ["deployments"]),
            Grant("alice", ["create"], ["batch"], ["jobs"]));

        Assert.True(PermissionDecisions.Check(snapshot, Ask("alice", "create", "batch", "jobs")).Allowed);
    }

    [Fact]
    public void List_PrincipalOnCluster_ReturnsGrantsForThatClusterOnly()
    {
        var snapshot = Snapshot(
            Grant("alice", ["get"], ["apps"], ["deployments"], clusters: ["ccs-dev"]),
            Grant("alice", ["get"], ["batch"], ["jobs"], clusters: ["ccs-test"]),
            Grant("bob", ["get"], ["apps"], ["deployments"]));

        var rules = PermissionDecisions.List(snapshot, "alice", "ccs-dev");

        Assert.Equal(["deployments"], rules.Select(r => r.Resources[0]));
        Assert.Empty(PermissionDecisions.List(snapshot, "nobody", "ccs-dev"));
        Assert.Empty(PermissionDecisions.List(null, "alice", "ccs-dev"));
    }

    [Fact]
    public void WhoCanDo_TwoPrincipalsAllowed_ReturnsEachOnceInSnapshotOrder()
    {
        var snapshot = Snapshot(
            Grant("bob", ["*"], ["apps"], ["*"]),
            Grant("alice", ["get"], ["apps"], ["deployments"]),
            Grant("alice", ["list", "get"], ["apps"], ["deployments"]),
            Grant("carol", ["get"], ["batch"], ["jobs"]));

        var principals = PermissionDecisions.WhoCanDo(snapshot, Ask("", "get", "apps", "deployments"));

        Assert.Equal(["bob", "alice"], principals);
        Assert.Empty(PermissionDecisions.WhoCanDo(null, Ask("", "get", "apps", "deployments")));
    }

    [Fact]
    public void Load_SubjectsSchema_ExpandsRulesKeepingNamesNamespaceAndCoreGroupDefault()
    {
        var snapshot = new PermissionSnapshot
        {
            Metadata = new() { Name = "snapshot-ccs-dev" },
            Spec = new PermissionSnapshotSpec
            {
                TargetCluster = Cluster,
                Version = "2026-11-27T00:00:00Z",
                Subjects =
                [
                    new SnapshotSubject
                    {
                        SubjectName = "alice",
                        SubjectKind = SubjectKind.User,
                        Namespace = "shop",
                        Permissions =
                        [
                            new PermissionRule { Resources = ["pods"], Verbs = ["get"] },
                            new PermissionRule { ApiGroups = ["apps"], Resources = ["deployments"], Verbs = ["get"], ResourceNames = ["web"] },
                        ],
                    },
                ],
                PrincipalPermissions = [new PrincipalPermissions { PrincipalRef = "ignored" }],
            },
        };

        var loaded = SnapshotExpansion.Load(snapshot);

        Assert.Equal("2026-11-27T00:00:00Z", loaded.Version);
        Assert.Equal(["alice"], loaded.ByPrincipal.Keys);
        Assert.Equal([""], loaded.Grants[0].ApiGroups);
        Assert.Equal("shop", loaded.Grants[0].Namespace);
        Assert.Equal(["web"], loaded.Grants[1].ResourceNames);
    }

    [Fact]
    public void Load_PrincipalPermissionsSchema_OneGrantPerOperationWithClusters()
    {
        var snapshot = new PermissionSnapshot
        {
            Metadata = new() { Name = "s" },
            Spec = new PermissionSnapshotSpec
            {
                TargetCluster = Cluster,
                Version = "v2",
                PrincipalPermissions =
                [
                    new PrincipalPermissions
                    {
                        PrincipalRef = "alice",
                        AllowedOperations =
                        [
                            new AllowedOperation { ApiGroup = "", Resource = "pods", Verbs = ["get", "list"], Clusters = ["ccs-dev"] },
                            new AllowedOperation { ApiGroup = "apps", Resource = "deployments", Verbs = ["create"] },
                        ],
                    },
                ],
            },
        };

        var loaded = SnapshotExpansion.Load(snapshot);

        Assert.Equal(2, loaded.Grants.Count);
        Assert.True(PermissionDecisions.Check(loaded, Ask("alice", "list", "", "pods")).Allowed);
        Assert.False(PermissionDecisions.Check(loaded, Ask("alice", "list", "", "pods", cluster: "ccs-test")).Allowed);
        Assert.True(PermissionDecisions.Check(loaded, Ask("alice", "create", "apps", "deployments", cluster: "ccs-test")).Allowed);
    }
}
