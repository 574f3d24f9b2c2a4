using k8s.Models;
using Conductor.Resources;
using static Conductor.Compiler.OperatorBundle.Rbac.Rules;

namespace Conductor.Compiler.OperatorBundle.Rbac;

/// <summary>
/// The one place that lists what each component may do (STYLE 14): <see cref="Cluster"/> rules become its
/// ClusterRole, <see cref="Namespaced"/> rules a Role in its own namespace. The Conductor rows translate the agent's
/// resource table (agent notes §5) into the Seam groups and kinds; a test compares the shipped objects with them.
/// </summary>
public sealed record OperatorPermissions(IReadOnlyList<V1PolicyRule> Cluster, IReadOnlyList<V1PolicyRule> Namespaced)
{
    private const string Core = "";
    private const string Seam = SeamApi.Group;
    private const string Guardian = GuardianApi.Group;
    private const string Coordination = "coordination.k8s.io";
    private const string Rbac = "rbac.authorization.k8s.io";

    private static readonly V1PolicyRule Events = Of(Core, "events", Emit);
    private static readonly V1PolicyRule LeaderLease = Of(Coordination, "leases", ["get", "create", "update"]);

    /// <summary>Guardian provisions RBAC from RBACProfiles, so it needs bind/escalate on RBAC objects: that is its job.</summary>
    public static readonly OperatorPermissions GuardianOperator = new(
        [
            Events,
            Of(Guardian, WithStatus("permissionsets", "rbacpolicies", "rbacprofiles", "permissionsnapshots", "permissionsnapshotreceipts"), All),
            Of(Rbac, ["roles", "rolebindings", "clusterroles", "clusterrolebindings"], [.. All, "bind", "escalate"]),
            Of(Core, "serviceaccounts", All),
            Of(Core, "namespaces", ["get", "list", "watch", "patch"]),
            Of(Seam, WithStatus("seammemberships"), ["get", "list", "watch", "update", "patch"]),
            Of(Seam, "talosclusters", Read),
        ],
        [LeaderLease, Of(Core, "secrets", ["get"])]);

    /// <summary>Platform owns TalosCluster and the day-2 kinds and drives them through RunnerConfigs.</summary>
    public static readonly OperatorPermissions PlatformOperator = new(
        [
            Events,
            Of(Seam, WithStatus("talosclusters", "upgradepolicies", "nodeoperations", "nodemaintenances", "etcdmaintenances",
                "pkirotations", "clusterresets", "hardeningprofiles", "maintenancebundles"), All),
            Of(Seam, ["talosclusters/finalizers"], ["update"]),
            Of(Seam, "runnerconfigs", All),
            Of(Core, "namespaces", ["get", "list", "watch", "create"]),
            Of(Core, "secrets", ReadWrite),
        ],
        [LeaderLease]);

    /// <summary>Dispatcher owns the pack kinds and asks Conductor for work through RunnerConfigs.</summary>
    public static readonly OperatorPermissions DispatcherOperator = new(
        [
            Events,
            Of(Seam, WithStatus("packdeliveries", "packexecutions", "packinstalleds", "packreceipts"), All),
            Of(Seam, "runnerconfigs", ReadWrite),
            Of(Seam, "talosclusters", Read),
        ],
        [LeaderLease]);

    /// <summary>seam-core owns the shared kinds: lineage, drift and membership.</summary>
    public static readonly OperatorPermissions SeamCoreOperator = new(
        [
            Events,
            Of(Seam, WithStatus("lineagerecords", "driftsignals", "seammemberships"), All),
            Of(Seam, "runnerconfigs", Read),
        ],
        [LeaderLease]);

    /// <summary>
    /// Management agent: signing (PackInstalled, PackDelivery, PermissionSnapshot annotations; signed artifacts as
    /// Secrets in <c>seam-tenant-*</c>), capability publication and step results on RunnerConfig status, drift
    /// handling, receipts. Its own namespace holds the silo membership ConfigMaps, the step Jobs and the lease.
    /// </summary>
    public static readonly OperatorPermissions ConductorManagement = new(
        [
            Events,
            Of(Seam, "runnerconfigs", Read),
            Of(Seam, ["runnerconfigs/status"], StatusWrite),
            Of(Seam, "driftsignals", ["get", "list", "watch", "create", "patch", "delete"]),
            Of(Seam, ["driftsignals/status"], StatusWrite),
            Of(Seam, "packexecutions", ["get", "list", "watch", "delete"]),
            Of(Seam, ["packinstalleds", "packdeliveries"], ["get", "list", "watch", "patch"]),
            Of(Seam, "packreceipts", Read),
            Of(Seam, ["packreceipts/status", "talosclusters/status"], StatusWrite),
            Of(Seam, "talosclusters", Read),
            Of(Guardian, "permissionsnapshots", ["get", "list", "watch", "patch"]),
            Of(Guardian, ["permissionsnapshots/status", "permissionsnapshotreceipts/status"], StatusWrite),
            Of(Guardian, ["permissionsnapshotreceipts", "rbacprofiles", "rbacpolicies"], Read),
            Of(Core, "secrets", ["get", "list", "watch", "create", "update", "delete"]),
        ],
        [
            Of(Coordination, "leases", ["get", "list", "watch", "create", "update"]),
            Of(Core, "configmaps", All),
            Of("batch", "jobs", ["get", "list", "watch", "create", "delete"]),
            Of(Core, "pods", Read),
        ]);

    /// <summary>
    /// Tenant agent, on its own cluster: the bootstrap sweep's ownership stamps on existing RBAC, node versions for
    /// drift and API discovery (cluster-wide); in its own namespace the lease, its RunnerConfig, the enforcement-gate
    /// and revocation ConfigMaps, the PermissionSnapshots, the receipts it writes, its TalosCluster and the component
    /// profiles the sweep creates. DriftSignals are written on management through MGMT_KUBECONFIG_PATH, never here.
    /// Silo/Tenant/TenantPermissions lists each call; LeastPrivilege tests run the real agent on exactly these rules
    /// against a real apiserver.
    /// </summary>
    public static readonly OperatorPermissions ConductorTenant = new(
        [
            Of(Core, "nodes", Read),
            Of(Core, "namespaces", Read),
            Of(Core, "serviceaccounts", ["get", "list", "watch", "patch"]),
            Of(Rbac, ["roles", "rolebindings", "clusterroles", "clusterrolebindings"], ["get", "list", "watch", "patch"]),
            // The sweep's ownership stamp is a metadata-only patch, but the apiserver checks every Role update for
            // escalation and every binding update for the right to bind its role: adopting RBAC that grants what the
            // agent does not hold needs escalate and bind (refused with "attempting to grant RBAC permissions not currently held" otherwise).
            Of(Rbac, ["roles", "clusterroles"], ["escalate", "bind"]),
            // API discovery (kind to plural and scope) for the sweep and pack drift.
            new V1PolicyRule { NonResourceURLs = ["/api", "/api/*", "/apis", "/apis/*"], Verbs = ["get"] },
        ],
        [
            Of(Coordination, "leases", ["get", "list", "watch", "create", "update"]),
            // Capability self-declaration on its own RunnerConfig (patch); the DegradedSecurityState and
            // FederationChannelDegraded conditions replace the status, resourceVersion-guarded (update).
            Of(Seam, "runnerconfigs", ["get"]),
            Of(Seam, ["runnerconfigs/status"], ["patch", "update"]),
            // The persisted RBAC enforcement gate (conductor-enforcement) and the revocation marks
            // (conductor-revoked-artifacts, rewritten by the leader), watched by every replica.
            Of(Core, "configmaps", ["get", "list", "watch", "create", "update"]),
            // The PermissionService loads the verified snapshot itself on every replica; the onboarding handshake
            // installs management's verified copy here (create, or a resourceVersion-guarded replace).
            Of(Guardian, "permissionsnapshots", ["get", "list", "watch", "create", "update"]),
            // Receipts: custody creates them and merge-patches spec and status; the PermissionService, enforcement
            // and pack drift read and watch them.
            Of(Seam, "packreceipts", ["get", "list", "watch", "create", "patch"]),
            Of(Guardian, "permissionsnapshotreceipts", ["get", "list", "watch", "create", "patch"]),
            Of(Seam, ["packreceipts/status"], ["patch"]),
            Of(Guardian, ["permissionsnapshotreceipts/status"], ["patch"]),
            // Version drift watches this cluster's TalosCluster.
            Of(Seam, "talosclusters", Read),
            // The sweep creates component PermissionSets, RBACPolicies and RBACProfiles here when absent, never changing one.
            Of(Guardian, ["permissionsets", "rbacpolicies", "rbacprofiles"], ["get", "create"]),
        ]);

    /// <summary>
    /// conductor-execute Jobs record their OperationResult ConfigMap in ont-system (DESIGN §2) and read, never write,
    /// the signed intents that pack-deploy and rbac-provision act on in <c>seam-tenant-{cluster}</c>; everything they
    /// change is on the target cluster, through its mounted kubeconfig.
    /// </summary>
    public static readonly OperatorPermissions Executor = new(
        [
            Of(Seam, ["packexecutions", "packdeliveries"], ["get"]),
            Of(Guardian, "permissionsnapshots", ["get"]),
        ],
        [Of(Core, "configmaps", ["get", "create", "update", "patch"])]);
}
