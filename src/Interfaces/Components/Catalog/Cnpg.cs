using Conductor.Resources.Guardian;
using static Conductor.Components.Catalog.Grant;

namespace Conductor.Components.Catalog;

/// <summary>
/// CloudNativePG v1.24: one operator Deployment (service account <c>cnpg-manager</c>) in cnpg-system, managing
/// PostgreSQL clusters in any namespace. It creates a Role and RoleBinding per cluster for the instance manager, so it
/// may manage Roles and RoleBindings; the API server still refuses any Role granting more than the operator holds.
/// </summary>
internal static class Cnpg
{
    private const string Group = "postgresql.cnpg.io";

    private static readonly string[] Kinds =
        ["backups", "clusters", "clusterimagecatalogs", "databases", "imagecatalogs", "poolers", "publications", "scheduledbackups", "subscriptions"];

    public static ComponentDefinition Definition { get; } = new(
        "cnpg", "v1.24", "CloudNativePG operator", "cnpg-system",
        [
            new(WorkloadKind.Deployment, "cnpg-controller-manager", [Labels(("app.kubernetes.io/name", "cloudnative-pg"))]),
        ],
        [
            new("rbac-cnpg", "cnpg-manager",
            [
                new("cnpg-cluster-management",
                    "PostgreSQL clusters, poolers, backups and catalogs, and the pods, volumes, services, secrets, jobs, " +
                    "disruption budgets, volume snapshots and instance-manager RBAC they are made of.",
                    PermissionScope.Cluster,
                    [
                        Rule(Group, Kinds, ReadWrite),
                        Rule(Group, [.. Kinds.Select(kind => kind + "/status")], StatusWrite),
                        Rule(Group, [.. Kinds.Select(kind => kind + "/finalizers")], "update"),
                        Rule(Core, ["configmaps", "secrets", "services", "persistentvolumeclaims"], ReadWrite),
                        Rule(Core, ["configmaps/status", "secrets/status"], StatusWrite),
                        Rule(Core, ["pods"], "get", "list", "watch", "create", "patch", "delete"),
                        Rule(Core, ["pods/exec"], "create", "get"),
                        Rule(Core, ["pods/status"], "get"),
                        Rule(Core, ["serviceaccounts"], "get", "list", "watch", "create", "update", "patch"),
                        Rule("apps", ["deployments"], ReadWrite),
                        Rule("batch", ["jobs"], "get", "list", "watch", "create", "patch", "delete"),
                        Rule("policy", ["poddisruptionbudgets"], ReadWrite),
                        Rule("rbac.authorization.k8s.io", ["roles", "rolebindings"], "get", "list", "watch", "create", "update", "patch"),
                        Rule("snapshot.storage.k8s.io", ["volumesnapshots"], "get", "list", "watch", "create", "patch"),
                        Rule("monitoring.coreos.com", ["podmonitors"], "get", "list", "watch", "create", "patch", "delete"),
                        Events,
                    ]),
                new("cnpg-cluster-observer",
                    "Reads nodes and namespaces for scheduling decisions, and keeps the CA bundle of its own admission webhooks current.",
                    PermissionScope.Cluster,
                    [
                        Rule(Core, ["nodes", "namespaces"], Read),
                        Named("admissionregistration.k8s.io", ["mutatingwebhookconfigurations"], ["cnpg-mutating-webhook-configuration"], "get", "patch"),
                        Named("admissionregistration.k8s.io", ["validatingwebhookconfigurations"], ["cnpg-validating-webhook-configuration"], "get", "patch"),
                    ]),
                LeaderElection("cnpg-leader-election", "the CloudNativePG operator"),
            ]),
        ]);
}
