using System.Text.Json.Serialization;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Dispatcher;

/// <summary>One object a pack deployed; namespace is absent for cluster-scoped objects.</summary>
public sealed record DeployedResource
{
    [JsonPropertyName("apiVersion"), Required]
    public string ApiVersion { get; init; } = "";

    [JsonPropertyName("kind"), Required]
    public string Kind { get; init; } = "";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("name"), Required]
    public string Name { get; init; } = "";
}
