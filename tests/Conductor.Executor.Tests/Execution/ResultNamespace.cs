using k8s;
using k8s.Models;

namespace Conductor.Executor.Tests.Execution;

/// <summary>A namespace of its own on the real management kube-apiserver (KUBECONFIG), deleted afterwards.</summary>
public sealed class ResultNamespace : IAsyncLifetime
{
    public string Name { get; } = $"conductor-test-{Guid.NewGuid():N}";

    public string Kubeconfig { get; } = Environment.GetEnvironmentVariable("KUBECONFIG") ?? "";

    public IKubernetes Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(Kubeconfig),
            "KUBECONFIG must name the test kube-apiserver's kubeconfig: run `scripts/test-servers.sh up` and `source .ci/out/test-env.sh`.");
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
        try
        {
            await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Name } });
        }
        catch (HttpRequestException e)
        {
            Assert.Fail($"the kube-apiserver of {Kubeconfig} is unreachable ({e.Message}): run `scripts/test-servers.sh up` and `source .ci/out/test-env.sh`.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.CoreV1.DeleteNamespaceAsync(Name);
            Client.Dispose();
        }
    }
}
