using System.Text.Json.Serialization;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Seam;

/// <summary>
/// <c>spec.lineage</c>: where an object came from, sealed at creation. The tenant admission webhook rejects any
/// update that changes it (agent notes §3.11, "sealed causal chain").
/// </summary>
public sealed record SealedCausalChain
{
    /// <summary>Kind of the root object that caused this one to exist.</summary>
    [JsonPropertyName("rootKind"), Required]
    public string RootKind { get; init; } = "";

    [JsonPropertyName("rootName"), Required]
    public string RootName { get; init; } = "";

    [JsonPropertyName("rootNamespace")]
    public string? RootNamespace { get; init; }

    [JsonPropertyName("rootUID")]
    public string? RootUid { get; init; }

    /// <summary>Generation of the root object when this object was created.</summary>
    [JsonPropertyName("rootGenerationAtCreation")]
    public long? RootGenerationAtCreation { get; init; }

    [JsonPropertyName("creatingOperator")]
    public OperatorIdentity? CreatingOperator { get; init; }

    /// <summary>Why the object was created, for example <c>PackDeployRequested</c>.</summary>
    [JsonPropertyName("creationRationale")]
    public string? CreationRationale { get; init; }
}

/// <summary>The operator (program) that created an object, and its version.</summary>
public sealed record OperatorIdentity
{
    [JsonPropertyName("name"), Required]
    public string Name { get; init; } = "";

    [JsonPropertyName("version")]
    public string? Version { get; init; }
}
