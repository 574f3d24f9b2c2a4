using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Guardian;

/// <summary>
/// The tenant's receipt of a PermissionSnapshot, in <c>ont-system</c> on the tenant cluster and named after the
/// snapshot: acknowledged only once the management signature verified (DESIGN §2). Its existence switches the
/// RBAC-ownership webhook from audit to strict.
/// </summary>
[KubernetesEntity(Group = GuardianApi.Group, ApiVersion = GuardianApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("psr")]
[PrinterColumn(1, "Snapshot", ".spec.snapshotRef")]
[PrinterColumn(2, "Version", ".status.acknowledgedVersion")]
[PrinterColumn(3, "Acknowledged", ".status.acknowledged", Type = "boolean")]
[PrinterColumn(4, "Degraded", ".status.degradedSecurityState", Type = "boolean")]
public sealed class PermissionSnapshotReceipt() : KubernetesResource<PermissionSnapshotReceiptSpec, PermissionSnapshotReceiptStatus>(GuardianApi.ApiVersion, KindName)
{
    public const string KindName = "PermissionSnapshotReceipt";
    public const string Plural = "permissionsnapshotreceipts";
}

public sealed record PermissionSnapshotReceiptSpec
{
    /// <summary>Name of the PermissionSnapshot on the management cluster.</summary>
    [JsonPropertyName("snapshotRef"), Required, MinLength(1)]
    public string SnapshotRef { get; init; } = "";

    [JsonPropertyName("targetCluster"), Required, MinLength(1)]
    public string TargetCluster { get; init; } = "";

    /// <summary>Snapshot version this receipt is for.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }
}

public sealed record PermissionSnapshotReceiptStatus
{
    [JsonPropertyName("acknowledged")]
    public bool? Acknowledged { get; init; }

    [JsonPropertyName("acknowledgedVersion")]
    public string? AcknowledgedVersion { get; init; }

    [JsonPropertyName("acknowledgedAt")]
    public DateTimeOffset? AcknowledgedAt { get; init; }

    [JsonPropertyName("verified")]
    public bool? Verified { get; init; }

    /// <summary>True when signature verification failed; <see cref="DegradedReason"/> says why.</summary>
    [JsonPropertyName("degradedSecurityState")]
    public bool? DegradedSecurityState { get; init; }

    [JsonPropertyName("degradedReason")]
    public string? DegradedReason { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
