using k8s;

namespace Conductor.Executor.Execution;

/// <summary>The management cluster's API: in-cluster inside the Job's pod, KUBECONFIG (or ~/.kube/config) outside it.</summary>
public static class ManagementClient
{
    /// <summary>Bounds each API call, so an unreachable API server ends the Job instead of hanging it.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static IKubernetes Create()
    {
        var configuration = KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(Environment.GetEnvironmentVariable("KUBECONFIG"));
        configuration.HttpClientTimeout = RequestTimeout;
        return new Kubernetes(configuration);
    }
}
