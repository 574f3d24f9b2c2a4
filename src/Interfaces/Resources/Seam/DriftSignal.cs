using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Seam;

/// <summary>
/// A detected drift between a declared object and the cluster, raised by the tenant agent in
/// <c>seam-tenant-{cluster}</c> on the management cluster and escalated until confirmed (agent notes §3.6-§3.8).
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("ds")]
[PrinterColumn(1, "State", ".spec.state")]
[PrinterColumn(2, "Kind", ".spec.affectedCRRef.kind")]
[PrinterColumn(3, "Target", ".spec.affectedCRRef.name")]
[PrinterColumn(4, "Escalations", ".spec.escalationCounter", Type = "integer")]
[PrinterColumn(5, "Reason", ".spec.driftReason", Priority = 1)]
public sealed class DriftSignal() : KubernetesResource<DriftSignalSpec, DriftSignalStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "DriftSignal";
    public const string Plural = "driftsignals";
}

public sealed record DriftSignalSpec
{
    [JsonPropertyName("state"), Required]
    public DriftState State { get; init; }

    /// <summary>Identifies one occurrence of the drift; cleared when the drift is confirmed resolved.</summary>
    [JsonPropertyName("correlationID")]
    public string? CorrelationId { get; init; }

    [JsonPropertyName("observedAt")]
    public DateTimeOffset? ObservedAt { get; init; }

    [JsonPropertyName("affectedCRRef")]
    public AffectedObjectRef? AffectedCrRef { get; init; }

    [JsonPropertyName("driftReason")]
    public string? DriftReason { get; init; }

    /// <summary>The PackExecution or Job that was (re)started to correct the drift.</summary>
    [JsonPropertyName("correctionJobRef")]
    public string? CorrectionJobRef { get; init; }

    /// <summary>How often the drift was seen again unresolved; 3 is terminal.</summary>
    [JsonPropertyName("escalationCounter"), Minimum(0)]
    public int EscalationCounter { get; init; }
}

/// <summary>The object that drifted. Group is empty for the core group; namespace is empty when cluster-scoped.</summary>
public sealed record AffectedObjectRef
{
    [JsonPropertyName("group")]
    public string? Group { get; init; }

    [JsonPropertyName("kind"), Required]
    public string Kind { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("name"), Required]
    public string Name { get; init; } = "";
}

public sealed record DriftSignalStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}

/// <summary>pending → (management acts) queued → (tenant sees it healthy) confirmed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DriftState>))]
public enum DriftState
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("delivered")] Delivered,
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("confirmed")] Confirmed,
}
