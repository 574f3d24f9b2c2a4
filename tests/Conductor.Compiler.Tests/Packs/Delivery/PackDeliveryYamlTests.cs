using Conductor.Compiler.Packs.Delivery;
using Conductor.Resources.Dispatcher;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Tests.Packs.Delivery;

public sealed class PackDeliveryYamlTests
{
    private static PackDelivery WithSourceBuildRef(string value) => new()
    {
        Metadata = new() { Name = "p", NamespaceProperty = "seam-system" },
        Spec = new PackDeliverySpec { Version = "v1", RegistryRef = new RegistryRef { Url = "r.example.com/p", Digest = "" }, SourceBuildRef = value },
    };

    [Theory]
    [InlineData("build-0042", "build-0042")]
    [InlineData("v1.2.3", "v1.2.3")]
    [InlineData("127.0.0.1:5000/packs/p", "127.0.0.1:5000/packs/p")]
    [InlineData("true", "\"true\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("1.30", "\"1.30\"")]
    [InlineData("3600", "\"3600\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("x #y", "\"x #y\"")]
    [InlineData("*alias", "\"*alias\"")]
    [InlineData("- item", "\"- item\"")]
    [InlineData("say \"hi\"\n", "\"say \\\"hi\\\"\\u000a\"")]
    public void Serialize_String_PlainOnlyWhenReadBackUnchanged(string value, string written)
    {
        var yaml = PackDeliveryYaml.Serialize(WithSourceBuildRef(value), "in.yaml");

        Assert.Contains($"  sourceBuildRef: {written}\n", yaml);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var spec = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["spec"];
        Assert.Equal(value, ((YamlScalarNode)spec["sourceBuildRef"]).Value);
        Assert.Equal("", ((YamlScalarNode)((YamlMappingNode)spec["registryRef"])["digest"]).Value);
    }

    [Fact]
    public void Serialize_FieldPackbuildDoesNotSet_Refused()
    {
        var delivery = WithSourceBuildRef("x");
        delivery.Spec = delivery.Spec with { RollbackToRevision = 2 };

        Assert.Throws<ArgumentException>(() => PackDeliveryYaml.Serialize(delivery, "in.yaml"));
    }
}
