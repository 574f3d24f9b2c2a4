namespace Conductor.Silo.Tenant;

/// <summary>
/// Every Kubernetes call the tenant agent makes on its own cluster, in one list: what <c>compiler enable</c> must
/// grant it and no more. <see cref="InOwnNamespace"/> entries only ever touch the agent's namespace (a Role
/// suffices); the others cross namespaces or are cluster-scoped (a ClusterRole). A test keeps the enable bundle
/// covering this list, and LeastPrivilege/TenantAgentAsServiceAccountTests runs the real agent on the bundle's RBAC
/// alone against a real apiserver, which is what finds the calls this list misses.
/// </summary>
public static class TenantPermissions
{
    public static readonly IReadOnlyList<TenantPermission> Resources =
    [
        // Leader election (LeaseLock): conductor-{cluster} in the agent's namespace.
        new("coordination.k8s.io", "leases", ["get", "create", "update"], InOwnNamespace: true, "leader election"),
        // Capability self-declaration on the agent's RunnerConfig.
        new("seam.ontai.dev", "runnerconfigs", ["get"], InOwnNamespace: true, "capability declaration"),
        new("seam.ontai.dev", "runnerconfigs/status", ["patch"], InOwnNamespace: true, "capability declaration"),
        // Conditions on the agent's RunnerConfig (RunnerConfigConditionWriter: read, then a resourceVersion-guarded
        // status replace): DegradedSecurityState from custody, FederationChannelDegraded from the federation client.
        new("seam.ontai.dev", "runnerconfigs", ["get"], InOwnNamespace: true, "security and channel conditions"),
        new("seam.ontai.dev", "runnerconfigs/status", ["update"], InOwnNamespace: true, "security and channel conditions"),
        // The persisted enforcement gate every replica watches and the leader creates.
        new("", "configmaps", ["get", "list", "watch", "create"], InOwnNamespace: true, "enforcement gate"),
        // Revocation marks (conductor-revoked-artifacts): the leader creates and rewrites them, every replica watches.
        new("", "configmaps", ["get", "list", "watch", "create", "update"], InOwnNamespace: true, "revocation marks"),
        // Bootstrap sweep: ownership stamps on existing RBAC and service accounts, cluster-wide.
        new("rbac.authorization.k8s.io", "roles", ["list", "patch"], InOwnNamespace: false, "RBAC stamping"),
        new("rbac.authorization.k8s.io", "rolebindings", ["list", "patch"], InOwnNamespace: false, "RBAC stamping"),
        new("rbac.authorization.k8s.io", "clusterroles", ["list", "patch"], InOwnNamespace: false, "RBAC stamping"),
        new("rbac.authorization.k8s.io", "clusterrolebindings", ["list", "patch"], InOwnNamespace: false, "RBAC stamping"),
        // The apiserver checks escalation on every Role and ClusterRole update and the right to bind on every binding
        // update, metadata-only patches included: stamping RBAC that grants more than the agent holds needs both.
        new("rbac.authorization.k8s.io", "roles", ["escalate", "bind"], InOwnNamespace: false, "RBAC stamping"),
        new("rbac.authorization.k8s.io", "clusterroles", ["escalate", "bind"], InOwnNamespace: false, "RBAC stamping"),
        new("", "serviceaccounts", ["list", "patch"], InOwnNamespace: false, "RBAC stamping"),
        new("", "namespaces", ["get", "list"], InOwnNamespace: false, "RBAC stamping"),
        // Bootstrap sweep: guardian kinds for known third-party components, created in the agent's namespace.
        new("guardian.ontai.dev", "permissionsets", ["get", "create"], InOwnNamespace: true, "guardian component profiles"),
        new("guardian.ontai.dev", "rbacpolicies", ["get", "create"], InOwnNamespace: true, "guardian component profiles"),
        new("guardian.ontai.dev", "rbacprofiles", ["get", "create"], InOwnNamespace: true, "guardian component profiles"),
        // PermissionService and enforcement: the verified snapshot and its receipt.
        new("guardian.ontai.dev", "permissionsnapshots", ["get", "list", "watch"], InOwnNamespace: true, "PermissionService"),
        new("guardian.ontai.dev", "permissionsnapshotreceipts", ["get", "list", "watch"], InOwnNamespace: true, "PermissionService and enforcement"),
        // Chain of custody (Custody/VerifiedSnapshotWriter, ReceiptWriter): the onboarding handshake installs the
        // verified snapshot copy, and every verification writes its receipt and the receipt's status.
        new("guardian.ontai.dev", "permissionsnapshots", ["get", "create", "update"], InOwnNamespace: true, "onboarding snapshot install"),
        new("guardian.ontai.dev", "permissionsnapshotreceipts", ["get", "create", "patch"], InOwnNamespace: true, "snapshot receipts"),
        new("guardian.ontai.dev", "permissionsnapshotreceipts/status", ["patch"], InOwnNamespace: true, "snapshot receipts"),
        new("seam.ontai.dev", "packreceipts", ["get", "create", "patch"], InOwnNamespace: true, "pack receipts"),
        new("seam.ontai.dev", "packreceipts/status", ["patch"], InOwnNamespace: true, "pack receipts"),
        // Drift detection: TalosCluster versions against node versions, pack receipts. The DriftSignals it raises are
        // written on management (MGMT_KUBECONFIG_PATH), so they need no grant on this cluster.
        new("seam.ontai.dev", "talosclusters", ["get", "list", "watch"], InOwnNamespace: true, "version drift"),
        new("", "nodes", ["list", "watch"], InOwnNamespace: false, "version drift"),
        new("seam.ontai.dev", "packreceipts", ["get", "list", "watch"], InOwnNamespace: true, "pack drift"),
    ];

    /// <summary>API discovery (kind to plural and scope), used by the sweep and pack drift.</summary>
    public static readonly IReadOnlyList<string> NonResourceUrls = ["/api", "/api/*", "/apis", "/apis/*"];
}

/// <summary>Verbs on one resource (or <c>resource/subresource</c>) of one API group, and why the agent needs them.</summary>
public sealed record TenantPermission(string ApiGroup, string Resource, IReadOnlyList<string> Verbs, bool InOwnNamespace, string Purpose);
