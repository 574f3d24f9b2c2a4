using Conductor.Resources.Guardian;
using static Conductor.Components.Catalog.Grant;

namespace Conductor.Components.Catalog;

/// <summary>
/// Rancher local-path-provisioner v0.0.30 in local-path-storage. Upstream reads ConfigMaps cluster-wide; it only needs
/// its own local-path-config, so that read is granted in its namespace alone.
/// </summary>
internal static class LocalPathProvisioner
{
    public static ComponentDefinition Definition { get; } = new(
        "local-path-provisioner", "v0.0.30", "Rancher local-path-provisioner", "local-path-storage",
        [
            new(WorkloadKind.Deployment, "local-path-provisioner",
                [Labels(("app", "local-path-provisioner")), Labels(("app.kubernetes.io/name", "local-path-provisioner"))]),
        ],
        [
            new("rbac-local-path-provisioner", "local-path-provisioner-service-account",
            [
                new("local-path-cluster-storage",
                    "Provisions and deletes host-path PersistentVolumes for claims of its storage classes, on the node the pod lands on.",
                    PermissionScope.Cluster,
                    [
                        Rule(Core, ["nodes", "persistentvolumeclaims", "pods", "pods/log"], Read),
                        Rule(Core, ["persistentvolumes"], "get", "list", "watch", "create", "update", "patch", "delete"),
                        Rule("storage.k8s.io", ["storageclasses"], Read),
                        Events,
                    ]),
                new("local-path-namespaced",
                    "Its configuration and the helper pods that create and remove volume directories, in its own namespace.",
                    PermissionScope.Namespaced,
                    [
                        Rule(Core, ["configmaps"], Read),
                        Rule(Core, ["pods"], ReadWrite),
                    ]),
            ]),
        ]);
}
