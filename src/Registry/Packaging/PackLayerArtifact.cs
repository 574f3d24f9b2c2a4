using System.Text;
using Conductor.Registry.Distribution;

namespace Conductor.Registry.Packaging;

/// <summary>
/// One pack layer bucket as an OCI artifact (see <see cref="PackMediaTypes"/>): built by packbuild, read back by
/// pack-deploy. The same YAML always gives the same layer digest and manifest digest.
/// </summary>
public static class PackLayerArtifact
{
    /// <summary>The artifact for <paramref name="manifestsYaml"/> (UTF-8, written as-is).</summary>
    public static OciArtifact Build(string manifestsYaml)
    {
        var layer = LayerPackager.Pack([new LayerFile(PackMediaTypes.ManifestsFileName, Encoding.UTF8.GetBytes(manifestsYaml))]);
        return new OciArtifactBuilder(PackMediaTypes.ArtifactType)
            .AddLayer(layer, new Dictionary<string, string> { [PackMediaTypes.TitleAnnotation] = PackMediaTypes.ManifestsFileName })
            .Build();
    }

    /// <summary>
    /// The manifests YAML of a pulled pack layer artifact. A different artifact type, layer count, layer media type
    /// or a layer without <see cref="PackMediaTypes.ManifestsFileName"/> is an error naming <paramref name="source"/>.
    /// </summary>
    public static string ReadManifests(PulledArtifact artifact, string source)
    {
        var manifest = artifact.Manifest.Manifest;
        if (manifest.ArtifactType != PackMediaTypes.ArtifactType)
        {
            throw new InvalidDataException(
                $"{source} has artifactType '{manifest.ArtifactType}', not {PackMediaTypes.ArtifactType}: it was not " +
                "pushed by compiler packbuild");
        }

        if (manifest.Layers.Count != 1 || manifest.Layers[0].MediaType != PackMediaTypes.Layer)
        {
            throw new InvalidDataException(
                $"{source} must have exactly one {PackMediaTypes.Layer} layer; it has {manifest.Layers.Count} " +
                $"({string.Join(", ", manifest.Layers.Select(layer => layer.MediaType))})");
        }

        var files = LayerPackager.Unpack(artifact.Layers[0], source);
        var yaml = files.FirstOrDefault(file => file.Path == PackMediaTypes.ManifestsFileName)
                   ?? throw new InvalidDataException($"{source} layer has no {PackMediaTypes.ManifestsFileName}");
        return Encoding.UTF8.GetString(yaml.Content.Span);
    }
}
