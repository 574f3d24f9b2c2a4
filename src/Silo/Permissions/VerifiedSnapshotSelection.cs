using Conductor.Resources.Guardian;

namespace Conductor.Silo.Permissions;

/// <summary>
/// Which snapshot a replica may answer from: one targeting this cluster whose PermissionSnapshotReceipt (same name,
/// same namespace) says the management signature verified and the receipt was acknowledged for exactly this
/// snapshot version, with no degraded security state. Anything else is never used. When several qualify the most
/// recently acknowledged wins (then the name, for a stable answer).
/// </summary>
public static class VerifiedSnapshotSelection
{
    public static PermissionSnapshot? Select(
        IEnumerable<PermissionSnapshot> snapshots, IEnumerable<PermissionSnapshotReceipt> receipts, string cluster)
    {
        var byName = receipts.ToDictionary(r => r.Metadata.Name, StringComparer.Ordinal);
        return snapshots
            .Where(s => s.Spec.TargetCluster == cluster)
            .Select(s => (Snapshot: s, Receipt: byName.GetValueOrDefault(s.Metadata.Name)))
            .Where(p => p.Receipt is not null && Vouches(p.Receipt, p.Snapshot))
            .OrderByDescending(p => p.Receipt!.Status!.AcknowledgedAt ?? DateTimeOffset.MinValue)
            .ThenBy(p => p.Snapshot.Metadata.Name, StringComparer.Ordinal)
            .Select(p => p.Snapshot)
            .FirstOrDefault();
    }

    /// <summary>Why a receipt does not vouch for its snapshot, or null when it does.</summary>
    public static string? Objection(PermissionSnapshotReceipt? receipt, PermissionSnapshot snapshot) => receipt switch
    {
        null => "no PermissionSnapshotReceipt of that name",
        { Status: null } => "its receipt has no status yet",
        { Status.DegradedSecurityState: true } => $"its receipt is in degraded security state: {receipt.Status.DegradedReason}",
        { Status.Verified: not true } => "its receipt does not say status.verified=true",
        { Status.Acknowledged: not true } => "its receipt does not say status.acknowledged=true",
        _ when receipt.Spec.TargetCluster != snapshot.Spec.TargetCluster => "its receipt is for another cluster",
        _ when receipt.Status.AcknowledgedVersion != snapshot.Spec.Version =>
            $"its receipt acknowledged version {receipt.Status.AcknowledgedVersion} but the snapshot is version {snapshot.Spec.Version}",
        _ => null,
    };

    private static bool Vouches(PermissionSnapshotReceipt receipt, PermissionSnapshot snapshot) => Objection(receipt, snapshot) is null;
}
