using k8s;
using Conductor.Silo.Custody;
using Conductor.Silo.Drift;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Tests.TestHosting;
using Conductor.TestSupport.Logging;
using Microsoft.Extensions.DependencyInjection;

namespace Conductor.Silo.Tests.Kubernetes;

/// <summary>The tenant agent's one management-cluster client, shared by custody and drift.</summary>
[Collection(KubeCollection.Name)]
public sealed class ManagementClusterTests
{
    [Fact]
    public void Client_VariableUnset_NamesTheVariable()
    {
        using var management = new ManagementCluster(kubeconfigPath: null);

        var error = Assert.Throws<InvalidOperationException>(() => management.Client);

        Assert.StartsWith("MGMT_KUBECONFIG_PATH is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddManagementCluster_CustodyAndDrift_OneClientReachingTheManagementServer()
    {
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        Assert.False(string.IsNullOrEmpty(kubeconfig), "KUBECONFIG must name the test kube-apiserver's kubeconfig: run `scripts/test-servers.sh up` and `source .ci/out/test-env.sh`.");
        using var local = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "https://127.0.0.1:1" });
        await using var provider = AgentServices.Build(local, new RecordingLoggerProvider(),
            new Dictionary<string, string?> { [ManagementCluster.KubeconfigEnvVar] = kubeconfig },
            services => services.AddCustodyVerification(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).AddTenantDriftDetection());

        var management = Assert.Single(provider.GetServices<ManagementCluster>());
        var namespaces = await management.Client.CoreV1.ListNamespaceAsync(limit: 1, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(kubeconfig, management.KubeconfigPath);
        Assert.NotEmpty(namespaces.Items);
        Assert.Same(management.Client, provider.GetRequiredService<ManagementCluster>().Client);
    }
}
