using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Seam;

/// <summary>Observed execution: the declared capability manifest, step results and the terminal phase.</summary>
public sealed record RunnerConfigStatus
{
    /// <summary>The capability manifest the agent declared for this cluster.</summary>
    [JsonPropertyName("capabilities")]
    public IReadOnlyList<CapabilityDeclaration>? Capabilities { get; init; }

    [JsonPropertyName("agentVersion")]
    public string? AgentVersion { get; init; }

    /// <summary>Pod name of the agent replica that wrote the manifest.</summary>
    [JsonPropertyName("agentLeader")]
    public string? AgentLeader { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }

    [JsonPropertyName("phase")]
    public RunnerConfigPhase? Phase { get; init; }

    /// <summary>Name of the step that failed the sequence, when <see cref="Phase"/> is Failed.</summary>
    [JsonPropertyName("failedStep")]
    public string? FailedStep { get; init; }

    [JsonPropertyName("stepResults")]
    public IReadOnlyList<StepResult>? StepResults { get; init; }
}

/// <summary>One capability the agent can run, with the JSON schema of its parameters.</summary>
public sealed record CapabilityDeclaration
{
    [JsonPropertyName("name"), Required, MinLength(1)]
    public string Name { get; init; } = "";

    [JsonPropertyName("version"), Required]
    public string Version { get; init; } = "";

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>A JSON schema object describing the step parameters; free-form.</summary>
    [JsonPropertyName("parameters")]
    public JsonElement? Parameters { get; init; }
}

/// <summary>
/// The recorded outcome of one step. The sequencer records and never interprets: <see cref="Result"/> is the
/// OperationResult JSON harvested from the ConfigMap named <see cref="OutputRef"/>.
/// </summary>
public sealed record StepResult
{
    [JsonPropertyName("stepName"), Required, MinLength(1)]
    public string StepName { get; init; } = "";

    [JsonPropertyName("phase"), Required]
    public StepPhase Phase { get; init; }

    /// <summary>The result ConfigMap (<c>ont-system/{job-name}</c>) the result was read from.</summary>
    [JsonPropertyName("outputRef")]
    public string? OutputRef { get; init; }

    /// <summary>The raw OperationResult document, stored as written by the executor.</summary>
    [JsonPropertyName("result")]
    public JsonElement? Result { get; init; }
}

/// <summary>Where one step is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepPhase>))]
public enum StepPhase
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>Where the whole sequence is; Completed and Failed are terminal.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunnerConfigPhase>))]
public enum RunnerConfigPhase
{
    Pending,
    Running,
    Completed,
    Failed,
}
