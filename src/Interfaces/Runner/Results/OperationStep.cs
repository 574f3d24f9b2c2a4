using System.Text.Json.Serialization;

namespace Conductor.Runner.Results;

/// <summary>One internal stage of a capability run (for example <c>etcd-snapshot</c>, then <c>s3-upload</c>).</summary>
public sealed record OperationStep
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("status")]
    public required OperationStepStatus Status { get; init; }

    [JsonPropertyName("startedAt")]
    [JsonConverter(typeof(UtcTimestampConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? StartedAt { get; init; }

    [JsonPropertyName("completedAt")]
    [JsonConverter(typeof(UtcTimestampConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? CompletedAt { get; init; }

    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }
}
