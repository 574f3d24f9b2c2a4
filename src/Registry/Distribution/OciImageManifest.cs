using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Conductor.Registry.Distribution;

/// <summary>
/// An OCI image manifest (schema 2). <see cref="ToJson"/> is stable: fixed property order, no whitespace,
/// annotations sorted by key, so the same manifest always has the same digest.
/// </summary>
public sealed record OciImageManifest(
    OciDescriptor Config,
    IReadOnlyList<OciDescriptor> Layers,
    string? ArtifactType = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    string MediaType = OciMediaTypes.ImageManifest)
{
    /// <summary>The compact, stable JSON encoding.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
               {
                   Indented = false,
                   // The default encoder writes '+' in media types as \u002B; registries and other tools show them
                   // literally, and this is output we only ever send as JSON bytes, never into HTML.
                   Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaType);
            if (ArtifactType is not null)
            {
                writer.WriteString("artifactType", ArtifactType);
            }

            writer.WritePropertyName("config");
            WriteDescriptor(writer, Config);
            writer.WriteStartArray("layers");
            foreach (var layer in Layers)
            {
                WriteDescriptor(writer, layer);
            }

            writer.WriteEndArray();
            WriteAnnotations(writer, Annotations);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The sha256 digest of <see cref="ToJson"/>.</summary>
    public string Digest() => OciDigest.Compute(ToJson());

    /// <summary>
    /// Parses an OCI image manifest or a Docker v2 schema 2 manifest. Anything else (an index, bad JSON, a missing or
    /// malformed field) is a <see cref="FormatException"/> naming <paramref name="source"/> and the field.
    /// </summary>
    public static OciImageManifest Parse(ReadOnlySpan<byte> json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new FormatException($"manifest {source} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"manifest {source} must be a JSON object");
            }

            if (!root.TryGetProperty("schemaVersion", out var version) || !version.TryGetInt32(out var v) || v != 2)
            {
                throw new FormatException($"manifest {source}: schemaVersion must be 2");
            }

            var mediaType = OptionalString(root, "mediaType", source) ?? OciMediaTypes.ImageManifest;
            if (mediaType is not (OciMediaTypes.ImageManifest or OciMediaTypes.DockerManifestV2))
            {
                throw new FormatException(
                    $"manifest {source} has mediaType {mediaType}: expected {OciMediaTypes.ImageManifest} " +
                    $"(an index must be resolved to one manifest first)");
            }

            if (!root.TryGetProperty("config", out var config))
            {
                throw new FormatException($"manifest {source}: config is missing");
            }

            if (!root.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"manifest {source}: layers must be an array");
            }

            return new OciImageManifest(
                ReadDescriptor(config, source, "config"),
                [.. layers.EnumerateArray().Select((layer, i) => ReadDescriptor(layer, source, $"layers[{i}]"))],
                OptionalString(root, "artifactType", source),
                ReadAnnotations(root, source, "annotations"),
                mediaType);
        }
    }

    private static void WriteDescriptor(Utf8JsonWriter writer, OciDescriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest);
        writer.WriteNumber("size", descriptor.Size);
        WriteAnnotations(writer, descriptor.Annotations);
        writer.WriteEndObject();
    }

    private static void WriteAnnotations(Utf8JsonWriter writer, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is not { Count: > 0 })
        {
            return;
        }

        writer.WriteStartObject("annotations");
        foreach (var (key, value) in annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static OciDescriptor ReadDescriptor(JsonElement element, string source, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"manifest {source}: {field} must be an object");
        }

        var mediaType = OptionalString(element, "mediaType", source, field)
                        ?? throw new FormatException($"manifest {source}: {field}.mediaType is missing");
        var digest = OciDigest.Validate(OptionalString(element, "digest", source, field), $"manifest {source} {field}.digest");
        if (!element.TryGetProperty("size", out var sizeElement) || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw new FormatException($"manifest {source}: {field}.size must be a non-negative integer");
        }

        return new OciDescriptor(mediaType, digest, size, ReadAnnotations(element, source, field + ".annotations"));
    }

    private static Dictionary<string, string>? ReadAnnotations(JsonElement element, string source, string field)
    {
        if (!element.TryGetProperty("annotations", out var annotations) || annotations.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (annotations.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"manifest {source}: {field} must be an object of strings");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in annotations.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw new FormatException($"manifest {source}: {field}.{property.Name} must be a string");
        }

        return result;
    }

    private static string? OptionalString(JsonElement element, string name, string source, string? parent = null)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FormatException(
                $"manifest {source}: {(parent is null ? name : parent + "." + name)} must be a string");
    }

    /// <summary>A readable one-line summary for logs and messages.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"OciImageManifest {{ Config = {Config.Digest}, Layers = {Layers.Count}");
        if (ArtifactType is not null)
        {
            text.Append($", ArtifactType = {ArtifactType}");
        }

        return text.Append(" }").ToString();
    }
}
