using System.Text.Json.Serialization;

namespace Conductor.Runner.Results;

/// <summary>How a capability run ended. The member names are the wire names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationStatus>))]
public enum OperationStatus
{
    [JsonStringEnumMemberName("Succeeded")]
    Succeeded,

    [JsonStringEnumMemberName("Failed")]
    Failed,
}
