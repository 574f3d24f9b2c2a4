using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Signing;

/// <summary>
/// A signed kind with its spec kept as the API server's JSON: what is signed and verified is exactly what is stored,
/// never a re-serialisation through a model (which could format a timestamp or number differently).
/// </summary>
public sealed class SignableResource : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public JsonElement? Spec { get; set; }

    [JsonPropertyName("status")]
    public JsonElement? Status { get; set; }

    /// <summary>The spec's JSON text, <c>null</c> when the object has none.</summary>
    public string SpecJson => Spec is { ValueKind: not JsonValueKind.Undefined } spec ? spec.GetRawText() : "null";

    /// <summary>A top-level status field, when present and of the wanted kind.</summary>
    public JsonElement? StatusField(string name) =>
        Status is { ValueKind: JsonValueKind.Object } status && status.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public string? Annotation(string key) => Metadata.Annotations?.TryGetValue(key, out var value) == true ? value : null;
}
