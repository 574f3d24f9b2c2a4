using System.Text.Json.Serialization;

namespace Conductor.Runner.Results;

/// <summary>
/// What one conductor-execute run records in the result ConfigMap (<see cref="JobProtocol"/>): the sequencer reads it,
/// copies it into the step's StepResult and never interprets more than <see cref="Status"/>. A failed run is still a
/// recorded result; only a run that could not write this document exits non-zero.
/// </summary>
public sealed record OperationResult
{
    /// <summary>The capability that ran (exact catalog name, or the unknown name that was asked for).</summary>
    [JsonPropertyName("capability")]
    public required string Capability { get; init; }

    /// <summary>
    /// The last internal stage the run reached: on failure the stage that failed, on success the final stage, and
    /// empty when the run stopped before its first stage (bad parameters, unknown capability).
    /// </summary>
    [JsonPropertyName("phase")]
    public required string Phase { get; init; }

    [JsonPropertyName("status")]
    public required OperationStatus Status { get; init; }

    [JsonPropertyName("startedAt")]
    [JsonConverter(typeof(UtcTimestampConverter))]
    public required DateTimeOffset StartedAt { get; init; }

    [JsonPropertyName("completedAt")]
    [JsonConverter(typeof(UtcTimestampConverter))]
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>What the run produced, by reference; empty, never absent.</summary>
    [JsonPropertyName("artifacts")]
    public IReadOnlyList<ArtifactReference> Artifacts { get; init; } = [];

    /// <summary>Present exactly when <see cref="Status"/> is Failed.</summary>
    [JsonPropertyName("failureReason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FailureReason? FailureReason { get; init; }

    /// <summary>The internal stages in the order they ran, kept on failure too; empty, never absent.</summary>
    [JsonPropertyName("steps")]
    public IReadOnlyList<OperationStep> Steps { get; init; } = [];
}
