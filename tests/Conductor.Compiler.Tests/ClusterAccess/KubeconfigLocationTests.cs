using Conductor.Compiler.ClusterAccess;

namespace Conductor.Compiler.Tests.ClusterAccess;

public sealed class KubeconfigLocationTests
{
    private static Func<string, string?> Env(string? kubeconfig) => name => name == "KUBECONFIG" ? kubeconfig : null;

    [Fact]
    public void Resolve_FlagAndEnvironment_FlagWins() =>
        Assert.Equal(new KubeconfigLocation("/flag", "--kubeconfig"), KubeconfigLocation.Resolve("/flag", Env("/env"), "/home/u"));

    [Fact]
    public void Resolve_NoFlag_UsesEnvironmentVerbatim() =>
        Assert.Equal(new KubeconfigLocation("/a:/b", "$KUBECONFIG"), KubeconfigLocation.Resolve(null, Env("/a:/b"), "/home/u"));

    [Fact]
    public void Resolve_NoFlagNoEnvironment_UsesHomeKubeConfig() =>
        Assert.Equal("/home/u/.kube/config", KubeconfigLocation.Resolve("", Env(null), "/home/u")!.Path);

    [Fact]
    public void Resolve_NothingAtAll_ReturnsNull() => Assert.Null(KubeconfigLocation.Resolve(null, Env(null), null));
}
