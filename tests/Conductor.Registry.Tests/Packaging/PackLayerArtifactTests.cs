using Conductor.Registry.Distribution;
using Conductor.Registry.Packaging;

namespace Conductor.Registry.Tests.Packaging;

public sealed class PackLayerArtifactTests
{
    [Fact]
    public void Build_SameYaml_SameManifestDigest()
    {
        Assert.Equal(PackLayerArtifact.Build("a: 1\n").Manifest.Digest(), PackLayerArtifact.Build("a: 1\n").Manifest.Digest());
        Assert.NotEqual(PackLayerArtifact.Build("a: 1\n").Manifest.Digest(), PackLayerArtifact.Build("a: 2\n").Manifest.Digest());
    }

    [Fact]
    public void Build_Yaml_OneGzipLayerWithEmptyConfigAndArtifactType()
    {
        var manifest = PackLayerArtifact.Build("a: 1\n").Manifest;

        Assert.Equal(PackMediaTypes.ArtifactType, manifest.ArtifactType);
        Assert.Equal(OciMediaTypes.EmptyJson, manifest.Config.MediaType);
        Assert.Equal(2, manifest.Config.Size);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(OciMediaTypes.ImageLayerTarGzip, layer.MediaType);
        Assert.Equal(PackMediaTypes.ManifestsFileName, layer.Annotations![PackMediaTypes.TitleAnnotation]);
    }

    [Fact]
    public void ReadManifests_OtherArtifactType_ErrorNamesSource()
    {
        var artifact = new OciArtifactBuilder("application/x.other").AddLayer(LayerPackager.Pack(
            [new LayerFile(PackMediaTypes.ManifestsFileName, "a: 1\n"u8.ToArray())])).Build();
        var pulled = new PulledArtifact(
            new PulledManifest(artifact.Manifest, artifact.Manifest.ToJson(), artifact.Manifest.Digest(), OciMediaTypes.ImageManifest),
            [artifact.Blobs[artifact.Manifest.Layers[0].Digest].ToArray()]);

        var error = Assert.Throws<InvalidDataException>(() => PackLayerArtifact.ReadManifests(pulled, "reg/packs/x:v1"));

        Assert.Contains("reg/packs/x:v1 has artifactType 'application/x.other'", error.Message);
    }
}
