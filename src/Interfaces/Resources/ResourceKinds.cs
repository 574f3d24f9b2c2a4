using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Resources.Platform;
using Conductor.Resources.Seam;

namespace Conductor.Resources;

/// <summary>Every kind of the Seam API (DESIGN §3). <c>compiler launch</c> generates one CRD per entry.</summary>
public static class ResourceKinds
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(RunnerConfig),
        typeof(DriftSignal),
        typeof(LineageRecord),
        typeof(SeamMembership),
        typeof(PackDelivery),
        typeof(PackExecution),
        typeof(PackInstalled),
        typeof(PackReceipt),
        typeof(TalosCluster),
        typeof(UpgradePolicy),
        typeof(NodeOperation),
        typeof(NodeMaintenance),
        typeof(EtcdMaintenance),
        typeof(PKIRotation),
        typeof(ClusterReset),
        typeof(HardeningProfile),
        typeof(MaintenanceBundle),
        typeof(PermissionSet),
        typeof(RBACPolicy),
        typeof(RBACProfile),
        typeof(PermissionSnapshot),
        typeof(PermissionSnapshotReceipt),
    ];
}
