using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

public sealed record TalosClusterStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("origin")]
    public ClusterOrigin? Origin { get; init; }

    [JsonPropertyName("observedTalosVersion")]
    public string? ObservedTalosVersion { get; init; }

    [JsonPropertyName("capiClusterRef")]
    public string? CapiClusterRef { get; init; }

    [JsonPropertyName("pkiExpiryDate")]
    public DateTimeOffset? PkiExpiryDate { get; init; }

    /// <summary>The tenant's acknowledgement of the PermissionSnapshot pushed at onboarding (DESIGN §2).</summary>
    [JsonPropertyName("permissionSnapshotReceipt")]
    public SnapshotAcknowledgement? PermissionSnapshotReceipt { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}

/// <summary>Which PermissionSnapshot version the tenant acknowledged, and when.</summary>
public sealed record SnapshotAcknowledgement
{
    [JsonPropertyName("snapshotName"), Required]
    public string SnapshotName { get; init; } = "";

    [JsonPropertyName("version"), Required]
    public string Version { get; init; } = "";

    [JsonPropertyName("acknowledgedAt")]
    public DateTimeOffset? AcknowledgedAt { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ClusterOrigin>))]
public enum ClusterOrigin
{
    [JsonStringEnumMemberName("bootstrapped")] Bootstrapped,
    [JsonStringEnumMemberName("imported")] Imported,
}
