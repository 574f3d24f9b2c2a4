using Conductor.Compiler.Packs.Split;

namespace Conductor.Compiler.Tests.Packs.Split;

public sealed class ManifestSplitterTests
{
    private static Manifest M(string kind, string name, string? ns = null) => new(kind, name, ns, $"kind: {kind}\nname: {name}");

    [Fact]
    public void Split_NginxLike_RbacThreeAndNamespaceInjectedFirstInWorkload()
    {
        var split = ManifestSplitter.Split([
            M("ServiceAccount", "ingress-nginx", "ingress-nginx"), M("ClusterRole", "ingress-nginx"),
            M("ClusterRoleBinding", "ingress-nginx"), M("Deployment", "controller", "ingress-nginx"), M("Service", "controller", "ingress-nginx"),
        ]);

        Assert.Equal(["ServiceAccount", "ClusterRole", "ClusterRoleBinding"], split.Rbac.Select(m => m.Kind));
        Assert.Empty(split.ClusterScoped);
        Assert.Equal([("Namespace", "ingress-nginx"), ("Deployment", "controller"), ("Service", "controller")], split.Workload.Select(m => (m.Kind, m.Name)));
        Assert.Equal("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress-nginx", split.Workload[0].Text);
    }

    [Fact]
    public void Split_ExplicitNamespace_ExactlyOneNamespaceInWorkload()
    {
        var split = ManifestSplitter.Split([M("Namespace", "ingress-nginx"), M("ServiceAccount", "sa", "ingress-nginx"), M("Deployment", "d", "ingress-nginx")]);

        Assert.Single(split.Workload, m => m.Kind == "Namespace");
    }

    [Fact]
    public void Split_SeveralRbacNamespaces_OneNamespaceEachInFirstSeenOrder()
    {
        var split = ManifestSplitter.Split([M("Role", "r", "b"), M("RoleBinding", "rb", "a"), M("ServiceAccount", "sa", "b"), M("ConfigMap", "c", "z")]);

        Assert.Equal(["b", "a"], split.Workload.Where(m => m.Kind == "Namespace").Select(m => m.Name));
    }

    [Fact]
    public void Split_WorkloadOnly_NoRbacTwoWorkload()
    {
        var split = ManifestSplitter.Split([M("Deployment", "d", "ns"), M("Service", "s", "ns")]);

        Assert.Empty(split.Rbac);
        Assert.Equal(2, split.Workload.Count);
    }

    [Fact]
    public void Split_AllFiveRbacKinds_AllRbacNoWorkload()
    {
        var split = ManifestSplitter.Split([M("ServiceAccount", "a"), M("Role", "b"), M("ClusterRole", "c"), M("RoleBinding", "d"), M("ClusterRoleBinding", "e")]);

        Assert.Equal(5, split.Rbac.Count);
        Assert.Empty(split.Workload);
    }

    [Fact]
    public void Split_AllEightClusterScopedKinds_AllClusterScoped()
    {
        string[] kinds = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "CustomResourceDefinition", "APIService",
            "PriorityClass", "StorageClass", "IngressClass", "ClusterIssuer"];

        var split = ManifestSplitter.Split([.. kinds.Select(k => M(k, k.ToLowerInvariant()))]);

        Assert.Equal(kinds, split.ClusterScoped.Select(m => m.Kind));
        Assert.Empty(split.Rbac);
        Assert.Empty(split.Workload);
    }

    [Theory]
    [InlineData("CustomResourceDefinition", "cluster-scoped")]
    [InlineData("MutatingWebhookConfiguration", "cluster-scoped")]
    [InlineData("ClusterRole", "rbac")]
    [InlineData("Deployment", "workload")]
    [InlineData("Namespace", "workload")]
    [InlineData("ClusterPolicy", "workload")]
    [InlineData("serviceaccount", "workload")]
    public void Split_Kind_GoesToItsLayer(string kind, string layer)
    {
        var split = ManifestSplitter.Split([M(kind, "x")]);

        var actual = split.Rbac.Count == 1 ? "rbac" : split.ClusterScoped.Count == 1 ? "cluster-scoped" : "workload";
        Assert.Equal(layer, actual);
    }

    [Fact]
    public void Split_CalledTwice_InputUnchangedAndSameResult()
    {
        List<Manifest> input = [M("ServiceAccount", "sa", "ns"), M("Deployment", "d", "ns")];
        var before = input.ToList();

        var first = ManifestSplitter.Split(input);
        var second = ManifestSplitter.Split(input);

        Assert.Equal(before, input);
        Assert.Equal(first.Workload, second.Workload);
        Assert.Equal(first.Rbac, second.Rbac);
    }
}
