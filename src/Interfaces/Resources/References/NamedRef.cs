using System.Text.Json.Serialization;
using Conductor.Resources.Schema;

namespace Conductor.Resources.References;

/// <summary>A reference by name to an object in the same namespace as the referrer.</summary>
public sealed record NamedRef
{
    [JsonPropertyName("name"), Required, MinLength(1)]
    public string Name { get; init; } = "";
}
