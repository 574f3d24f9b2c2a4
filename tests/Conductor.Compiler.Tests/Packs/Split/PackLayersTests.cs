using System.Security.Cryptography;
using System.Text;
using Conductor.Compiler.Packs.Split;

namespace Conductor.Compiler.Tests.Packs.Split;

public sealed class PackLayersTests
{
    [Fact]
    public void From_Manifests_EachPrefixedWithSeparatorAndEndedWithNewline()
    {
        var layers = PackLayers.From(new SplitManifests(
            [new Manifest("ServiceAccount", "a", null, "kind: ServiceAccount")], [], [new Manifest("ConfigMap", "c", null, "kind: ConfigMap\n")]));

        Assert.Equal("---\nkind: ServiceAccount\n", layers.Rbac);
        Assert.Equal("", layers.ClusterScoped);
        Assert.Equal("---\nkind: ConfigMap\n", layers.Workload);
    }

    [Fact]
    public void Checksum_IsSha256HexOfTheThreeLayersInOrder()
    {
        var layers = new PackLayers("---\na\n", "---\nb\n", "---\nc\n");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("---\na\n---\nb\n---\nc\n"))), layers.Checksum);
    }
}
