using Conductor.Registry.Distribution;

namespace Conductor.Registry.Tests.Distribution;

public sealed class OciReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Parse_HostPortRepositoryTag_SplitsParts()
    {
        var reference = OciReference.Parse("127.0.0.1:5000/packs/cilium:v1.2.3-rbac");

        Assert.Equal(new OciReference("127.0.0.1:5000", "packs/cilium", "v1.2.3-rbac", null), reference);
        Assert.Equal("v1.2.3-rbac", reference.Reference);
    }

    [Fact]
    public void Parse_TagAndDigest_DigestIsTheReference()
    {
        var reference = OciReference.Parse($"registry.example.com/packs/x:1.0@{Digest}");

        Assert.Equal("packs/x", reference.Repository);
        Assert.Equal("1.0", reference.Tag);
        Assert.Equal(Digest, reference.Reference);
        Assert.Equal($"registry.example.com/packs/x:1.0@{Digest}", reference.ToString());
    }

    [Fact]
    public void Parse_NoSlash_ErrorNamesRegistryRule()
    {
        var error = Assert.Throws<FormatException>(() => OciReference.Parse("cilium:1.0"));

        Assert.Contains("has no registry", error.Message);
        Assert.Contains("host[:port]/repository", error.Message);
    }

    [Fact]
    public void Parse_NoTagOrDigest_ErrorUnlessRepositoryAllowed()
    {
        var error = Assert.Throws<FormatException>(() => OciReference.Parse("localhost:5000/packs/x"));
        Assert.Contains("neither a ':tag' nor an '@sha256:…' digest", error.Message);

        var repository = OciReference.Parse("localhost:5000/packs/x", requireTagOrDigest: false);
        Assert.Null(repository.Tag);
    }

    [Theory]
    [InlineData("localhost:5000/Packs/x:1", "repository 'Packs/x'")]
    [InlineData("localhost:5000/packs/x:-bad", "tag '-bad'")]
    [InlineData("localhost:5000/packs/x@sha256:abc", "not a valid digest")]
    [InlineData("bad host/packs/x:1", "registry 'bad host'")]
    public void Parse_InvalidPart_ErrorNamesPart(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => OciReference.Parse(text));

        Assert.Contains(expected, error.Message);
    }
}
