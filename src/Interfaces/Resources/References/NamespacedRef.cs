using System.Text.Json.Serialization;
using Conductor.Resources.Schema;

namespace Conductor.Resources.References;

/// <summary>A reference by name to an object, in <see cref="Namespace"/> or, when absent, the referrer's namespace.</summary>
public sealed record NamespacedRef
{
    [JsonPropertyName("name"), Required, MinLength(1)]
    public string Name { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }
}
