using System.Text.Json.Serialization;

namespace Conductor.Runner.Results;

/// <summary>
/// Something a run produced, by reference only: results live in a ConfigMap, so they point at artifacts rather than
/// carry them.
/// </summary>
public sealed record ArtifactReference
{
    /// <summary>Stable name of the artifact within the run, e.g. <c>etcd-snapshot</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("kind")]
    public required ArtifactKind Kind { get; init; }

    /// <summary>Where it is, in the form <see cref="ArtifactKind"/> documents for its kind.</summary>
    [JsonPropertyName("reference")]
    public required string Reference { get; init; }

    /// <summary><c>sha256:{hex}</c> of the content, or null when the content was not read by the run.</summary>
    [JsonPropertyName("checksum")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Checksum { get; init; }
}
