using Conductor.Silo.Drift;
using k8s.Models;

namespace Conductor.Silo.Tests.Drift;

/// <summary>Node version parsing and agreement for version drift (agent notes §8 cases 71-73).</summary>
public sealed class NodeVersionsTests
{
    private static V1Node Node(string osImage, string kubelet) =>
        new() { Status = new V1NodeStatus { NodeInfo = new V1NodeSystemInfo { OsImage = osImage, KubeletVersion = kubelet } } };

    [Theory]
    [InlineData("Talos (v1.7.4)", "v1.7.4")]
    [InlineData("Talos (v2.0.0-alpha.1)", "v2.0.0-alpha.1")]
    [InlineData("talos (v1.8.0)", "v1.8.0")]
    [InlineData("Ubuntu 22.04 LTS", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Talos_OsImage_ReturnsVersionWithV(string? osImage, string expected)
    {
        Assert.Equal(expected, NodeVersions.Talos(osImage));
    }

    [Theory]
    [InlineData("v1.32.4", "1.32.4")]
    [InlineData("1.32.4", "1.32.4")]
    [InlineData("", "")]
    public void Kubernetes_KubeletVersion_StripsOneLeadingV(string kubelet, string expected)
    {
        Assert.Equal(expected, NodeVersions.Kubernetes(kubelet));
    }

    [Fact]
    public void Agreed_AllNodesSame_ReturnsThatVersion()
    {
        var observed = NodeVersions.Agreed([Node("Talos (v1.7.4)", "v1.32.4"), Node("Talos (v1.7.4)", "v1.32.4")], i => NodeVersions.Talos(i.OsImage));

        Assert.Equal("v1.7.4", observed);
    }

    [Fact]
    public void Agreed_NodesDisagree_ReturnsNullBecauseAnUpgradeIsUnderWay()
    {
        var observed = NodeVersions.Agreed([Node("Talos (v1.7.0)", "v1.32.3"), Node("Talos (v1.7.4)", "v1.32.4")], i => NodeVersions.Kubernetes(i.KubeletVersion));

        Assert.Null(observed);
    }

    [Fact]
    public void Agreed_NodesWithoutVersionIgnored_ReturnsTheOthersVersion()
    {
        var observed = NodeVersions.Agreed([Node("Ubuntu 22.04 LTS", ""), Node("Talos (v1.7.4)", "v1.32.4"), new V1Node()], i => NodeVersions.Talos(i.OsImage));

        Assert.Equal("v1.7.4", observed);
    }

    [Fact]
    public void Agreed_NoNodes_ReturnsNull()
    {
        Assert.Null(NodeVersions.Agreed([], i => NodeVersions.Talos(i.OsImage)));
    }
}
