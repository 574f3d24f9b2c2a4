using Conductor.Executor.Runs;
using Conductor.Runner;
using Conductor.Runner.Results;
using k8s;

namespace Conductor.Executor.TargetCluster;

/// <summary>The target cluster's API, from the kubeconfig the Job mounts from the cluster's Secret.</summary>
public static class TargetClusterClient
{
    /// <summary>Bounds each API call, so an unreachable target ends the Job instead of hanging it.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static IKubernetes Create(string kubeconfigPath)
    {
        if (!File.Exists(kubeconfigPath))
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                $"target kubeconfig {kubeconfigPath} does not exist: mount the cluster's kubeconfig Secret there or set {JobProtocol.TargetKubeconfigEnvVar}");
        }
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                $"target kubeconfig {kubeconfigPath} cannot be used: {e.Message}", e);
        }
        configuration.HttpClientTimeout = RequestTimeout;
        return new Kubernetes(configuration, new CoreGroupPathHandler());
    }
}
