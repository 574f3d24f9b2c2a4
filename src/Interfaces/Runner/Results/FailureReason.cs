using System.Text.Json.Serialization;

namespace Conductor.Runner.Results;

/// <summary>Why a run failed: present exactly when <see cref="OperationResult.Status"/> is Failed.</summary>
public sealed record FailureReason
{
    [JsonPropertyName("category")]
    public required FailureCategory Category { get; init; }

    /// <summary>What failed, naming the resource, node or parameter, and what would fix it.</summary>
    [JsonPropertyName("detail")]
    public required string Detail { get; init; }
}
