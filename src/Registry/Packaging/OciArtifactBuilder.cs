using Conductor.Registry.Distribution;

namespace Conductor.Registry.Packaging;

/// <summary>
/// Assembles an <see cref="OciArtifact"/>: an OCI image manifest with an <c>artifactType</c>, a config (the OCI empty
/// JSON unless set) and layers in the order added, plus the blob contents it references.
/// </summary>
public sealed class OciArtifactBuilder(string artifactType)
{
    private readonly List<OciDescriptor> _layers = [];
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _blobs = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _annotations = new(StringComparer.Ordinal);
    private OciDescriptor _config = OciDescriptor.For(OciMediaTypes.EmptyJson, OciMediaTypes.EmptyJsonContent.Span);
    private ReadOnlyMemory<byte> _configContent = OciMediaTypes.EmptyJsonContent;

    /// <summary>Uses <paramref name="content"/> with <paramref name="mediaType"/> as the config blob.</summary>
    public OciArtifactBuilder WithConfig(string mediaType, ReadOnlyMemory<byte> content)
    {
        _config = OciDescriptor.For(mediaType, content.Span);
        _configContent = content;
        return this;
    }

    /// <summary>Appends a layer with <paramref name="mediaType"/>.</summary>
    public OciArtifactBuilder AddLayer(string mediaType, ReadOnlyMemory<byte> content,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var descriptor = OciDescriptor.For(mediaType, content.Span, annotations);
        _layers.Add(descriptor);
        _blobs[descriptor.Digest] = content;
        return this;
    }

    /// <summary>Appends a packaged tar.gz layer.</summary>
    public OciArtifactBuilder AddLayer(PackagedLayer layer, IReadOnlyDictionary<string, string>? annotations = null) =>
        AddLayer(OciMediaTypes.ImageLayerTarGzip, layer.Content, annotations);

    /// <summary>Sets a manifest annotation.</summary>
    public OciArtifactBuilder WithAnnotation(string key, string value)
    {
        _annotations[key] = value;
        return this;
    }

    /// <summary>The artifact. At least one layer is required.</summary>
    public OciArtifact Build()
    {
        if (_layers.Count == 0)
        {
            throw new InvalidOperationException($"artifact {artifactType} has no layers: add at least one");
        }

        var blobs = new Dictionary<string, ReadOnlyMemory<byte>>(_blobs, StringComparer.Ordinal)
        {
            [_config.Digest] = _configContent,
        };
        var manifest = new OciImageManifest(_config, [.. _layers], artifactType,
            _annotations.Count == 0 ? null : new Dictionary<string, string>(_annotations, StringComparer.Ordinal));
        return new OciArtifact(manifest, blobs);
    }
}
