using System.Text.Json.Serialization;

namespace Conductor.Runner.Results;

/// <summary>How one internal stage of a run ended. The member names are the wire names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationStepStatus>))]
public enum OperationStepStatus
{
    [JsonStringEnumMemberName("Succeeded")]
    Succeeded,

    [JsonStringEnumMemberName("Failed")]
    Failed,

    [JsonStringEnumMemberName("Skipped")]
    Skipped,
}
