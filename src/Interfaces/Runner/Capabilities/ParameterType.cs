using System.Text.Json.Serialization;

namespace Conductor.Runner.Capabilities;

/// <summary>The JSON type of one step parameter. The member names are the wire names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParameterType>))]
public enum ParameterType
{
    [JsonStringEnumMemberName("string")]
    String,

    [JsonStringEnumMemberName("int")]
    Int,

    [JsonStringEnumMemberName("bool")]
    Bool,

    [JsonStringEnumMemberName("stringList")]
    StringList,

    [JsonStringEnumMemberName("object")]
    Object,
}
