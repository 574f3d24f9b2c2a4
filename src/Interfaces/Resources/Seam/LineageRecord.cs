using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Seam;

/// <summary>
/// The index of one lineage root: the root object and every object created because of it (the reference's
/// InfrastructureLineageIndex). Each descendant carries the same root in its sealed <c>spec.lineage</c>.
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("lr")]
[PrinterColumn(1, "Root Kind", ".spec.rootBinding.rootKind")]
[PrinterColumn(2, "Root", ".spec.rootBinding.rootName")]
public sealed class LineageRecord() : KubernetesResource<LineageRecordSpec, LineageRecordStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "LineageRecord";
    public const string Plural = "lineagerecords";
}

public sealed record LineageRecordSpec
{
    [JsonPropertyName("rootBinding"), Required]
    public LineageRoot RootBinding { get; init; } = new();

    [JsonPropertyName("descendants")]
    public IReadOnlyList<LineageDescendant>? Descendants { get; init; }
}

/// <summary>The root object of a lineage.</summary>
public sealed record LineageRoot
{
    [JsonPropertyName("rootKind"), Required]
    public string RootKind { get; init; } = "";

    [JsonPropertyName("rootName"), Required]
    public string RootName { get; init; } = "";

    [JsonPropertyName("rootNamespace")]
    public string? RootNamespace { get; init; }

    [JsonPropertyName("rootUID")]
    public string? RootUid { get; init; }

    [JsonPropertyName("rootObservedGeneration")]
    public long? RootObservedGeneration { get; init; }
}

/// <summary>One object created because of the root.</summary>
public sealed record LineageDescendant
{
    [JsonPropertyName("group")]
    public string? Group { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("kind"), Required]
    public string Kind { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("name"), Required]
    public string Name { get; init; } = "";

    [JsonPropertyName("uid")]
    public string? Uid { get; init; }

    [JsonPropertyName("creatingOperator")]
    public OperatorIdentity? CreatingOperator { get; init; }

    [JsonPropertyName("creationRationale")]
    public string? CreationRationale { get; init; }

    [JsonPropertyName("createdAt")]
    public DateTimeOffset? CreatedAt { get; init; }
}

public sealed record LineageRecordStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("descendantCount")]
    public int? DescendantCount { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
