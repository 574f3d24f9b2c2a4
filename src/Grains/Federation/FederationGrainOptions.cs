namespace Conductor.Grains.Federation;

/// <summary>Settings of the federation grains on the management silo.</summary>
public sealed class FederationGrainOptions
{
    /// <summary>Environment variable with the management heartbeat interval in seconds.</summary>
    public const string HeartBeatSecondsVariable = "FEDERATION_HEARTBEAT_SECONDS";

    /// <summary>Environment variable with the namespace holding audit chunks and revocation ledgers.</summary>
    public const string StoreNamespaceVariable = "FEDERATION_STORE_NAMESPACE";

    /// <summary>Placeholder replaced by the cluster id in <see cref="RunnerConfigNamespace"/>.</summary>
    public const string ClusterPlaceholder = "{cluster}";

    /// <summary>How often management sends each connected tenant a heartbeat (default 30 s, DESIGN §2).</summary>
    public TimeSpan HeartBeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive unacknowledged heartbeats after which the channel is degraded (default 3).</summary>
    public int MissedAckThreshold { get; set; } = 3;

    /// <summary>
    /// Namespace of the durable federation records on the management cluster: audit chunks
    /// (<c>audit-{cluster}-{firstSequence}</c>), the audit high-water mark (<c>audit-{cluster}-hwm</c>) and the
    /// revocation journal (<c>revocations-{time}-{random}</c> pages). Default <c>seam-system</c>.
    /// </summary>
    public string StoreNamespace { get; set; } = "seam-system";

    /// <summary>
    /// Namespace of each tenant's RunnerConfig (named after the cluster) on the management cluster, where the
    /// degraded condition is recorded; <c>{cluster}</c> is replaced by the cluster id.
    /// </summary>
    public string RunnerConfigNamespace { get; set; } = "seam-tenant-" + ClusterPlaceholder;

    /// <summary>
    /// Namespace on the management cluster holding each tenant's signed artifacts, among them the PermissionSnapshots
    /// pushed during onboarding; <c>{cluster}</c> is replaced by the cluster id. Default <c>seam-tenant-{cluster}</c>.
    /// </summary>
    public string TenantNamespace { get; set; } = "seam-tenant-" + ClusterPlaceholder;

    /// <summary>
    /// Namespace of each tenant's TalosCluster (named after the cluster) on the management cluster, where the onboarding
    /// acknowledgement is recorded; <c>{cluster}</c> is replaced by the cluster id. Default <c>seam-system</c>, where
    /// <c>compiler bootstrap</c> puts it.
    /// </summary>
    public string TalosClusterNamespace { get; set; } = "seam-system";

    /// <summary>The namespace of <paramref name="clusterId"/>'s signed artifacts.</summary>
    public string TenantNamespaceOf(string clusterId) => TenantNamespace.Replace(ClusterPlaceholder, clusterId, StringComparison.Ordinal);

    /// <summary>The namespace of <paramref name="clusterId"/>'s TalosCluster.</summary>
    public string TalosClusterNamespaceOf(string clusterId) => TalosClusterNamespace.Replace(ClusterPlaceholder, clusterId, StringComparison.Ordinal);

    /// <summary>The namespace of <paramref name="clusterId"/>'s RunnerConfig.</summary>
    public string RunnerConfigNamespaceOf(string clusterId) =>
        RunnerConfigNamespace.Replace(ClusterPlaceholder, clusterId, StringComparison.Ordinal);
}
