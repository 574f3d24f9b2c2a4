using System.Text;
using Conductor.Registry.Distribution;

namespace Conductor.Registry.Tests.Distribution;

public sealed class OciImageManifestTests
{
    private static readonly OciDescriptor Config = OciDescriptor.For(OciMediaTypes.EmptyJson, "{}"u8);

    [Fact]
    public void ToJson_AnnotationsInAnyOrder_SameBytesSortedByKey()
    {
        var layer = OciDescriptor.For(OciMediaTypes.ImageLayerTarGzip, "layer"u8);
        var first = new OciImageManifest(Config, [layer], "application/x.test",
            new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        var second = new OciImageManifest(Config, [layer], "application/x.test",
            new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });

        Assert.Equal(first.ToJson(), second.ToJson());
        Assert.Equal(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
            "\"artifactType\":\"application/x.test\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\"," +
            "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}," +
            $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"{layer.Digest}\",\"size\":5}}]," +
            "\"annotations\":{\"a\":\"1\",\"b\":\"2\"}}",
            Encoding.UTF8.GetString(first.ToJson()));
    }

    [Fact]
    public void Parse_OwnJson_RoundTripsToSameBytes()
    {
        var layer = OciDescriptor.For(OciMediaTypes.ImageLayerTarGzip, "layer"u8,
            new Dictionary<string, string> { ["org.opencontainers.image.title"] = "manifests.yaml" });
        var manifest = new OciImageManifest(Config, [layer], "application/x.test");

        var parsed = OciImageManifest.Parse(manifest.ToJson(), "test");

        Assert.Equal(manifest.ToJson(), parsed.ToJson());
        Assert.Equal("manifests.yaml", parsed.Layers[0].Annotations!["org.opencontainers.image.title"]);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":1}", "schemaVersion must be 2")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}", "an index must be resolved")]
    [InlineData("{\"schemaVersion\":2,\"layers\":[]}", "config is missing")]
    [InlineData("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:00\",\"size\":2},\"layers\":[]}", "config.digest")]
    [InlineData("not json", "is not valid JSON")]
    public void Parse_Malformed_ErrorNamesField(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => OciImageManifest.Parse(Encoding.UTF8.GetBytes(json), "reg/x:1"));

        Assert.Contains("reg/x:1", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
