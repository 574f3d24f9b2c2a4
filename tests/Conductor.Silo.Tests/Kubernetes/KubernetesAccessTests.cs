using Conductor.Silo.Kubernetes;

namespace Conductor.Silo.Tests.Kubernetes;

public sealed class KubernetesAccessTests
{
    [Fact]
    public void Configuration_NoKubeconfigOutsideCluster_NamesTheVariable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KubernetesAccess.Configuration(_ => null));

        Assert.Contains("KUBECONFIG is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_KubeconfigMissingFile_NamesVariableAndPath()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KubernetesAccess.Configuration(_ => "/nonexistent/kubeconfig"));

        Assert.StartsWith("KUBECONFIG=/nonexistent/kubeconfig does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_KubeconfigNotYaml_NamesVariable()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{{ not a kubeconfig");

            var error = Assert.Throws<InvalidOperationException>(() => KubernetesAccess.Configuration(_ => path));

            Assert.Contains("is not a usable kubeconfig", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Configuration_TestServerKubeconfig_PointsAtItsServer()
    {
        var path = Environment.GetEnvironmentVariable("KUBECONFIG");
        Assert.False(string.IsNullOrEmpty(path), "KUBECONFIG must name the test kube-apiserver's kubeconfig: run `scripts/test-servers.sh up` and `source .ci/out/test-env.sh`.");

        var configuration = KubernetesAccess.Configuration(Environment.GetEnvironmentVariable);

        Assert.StartsWith("https://", configuration.Host, StringComparison.Ordinal);
    }
}
