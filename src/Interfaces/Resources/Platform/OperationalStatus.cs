using System.Text.Json.Serialization;
using k8s.Models;

namespace Conductor.Resources.Platform;

/// <summary>Status shared by the day-2 kinds: the Job that carried out the operation and its result.</summary>
public sealed record OperationalStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("jobName")]
    public string? JobName { get; init; }

    /// <summary>Key of the record in the cluster's operation-result ledger.</summary>
    [JsonPropertyName("operationResultRef")]
    public string? OperationResultRef { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
