using k8s;

namespace Conductor.Silo.Kubernetes;

/// <summary>
/// How the agent reaches its own cluster's API: the in-cluster service account when it runs in a pod, otherwise the
/// kubeconfig file named by <see cref="KubeconfigEnvVar"/>. There is no third guess (no ~/.kube/config), so an agent
/// started outside a cluster talks to exactly the server its operator named.
/// </summary>
public static class KubernetesAccess
{
    public const string KubeconfigEnvVar = "KUBECONFIG";

    /// <summary>
    /// A client the way the agent uses every cluster it talks to. HTTP/1.1, one connection per concurrent request: over
    /// HTTP/2 KubernetesClient deserializes each response body synchronously from the multiplexed stream, which blocks
    /// a thread-pool thread (and an Orleans scheduler turn) per request in flight: with 200 RunnerConfigs sequencing at
    /// once that starved the pool and put the Job-terminal-to-StepResult p99 at 9-14 s against 3.5-5.8 s over HTTP/1.1
    /// in the same runs.
    /// </summary>
    public static IKubernetes Client(KubernetesClientConfiguration configuration)
    {
        configuration.DisableHttp2 = true;
        return new k8s.Kubernetes(configuration);
    }

    /// <summary>
    /// Builds the client configuration. Throws <see cref="InvalidOperationException"/> naming
    /// <see cref="KubeconfigEnvVar"/> and the fix when neither source works.
    /// </summary>
    public static KubernetesClientConfiguration Configuration(Func<string, string?> environment)
    {
        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }
        var path = environment(KubeconfigEnvVar);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException(
                $"Not running in a Kubernetes pod and {KubeconfigEnvVar} is not set: set {KubeconfigEnvVar} to the kubeconfig file of the management cluster.");
        }
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{KubeconfigEnvVar}={path} does not exist: set {KubeconfigEnvVar} to an existing kubeconfig file of the management cluster.");
        }
        try
        {
            return KubeconfigFile.Load(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"{KubeconfigEnvVar}={path} is not a usable kubeconfig ({e.Message}): point {KubeconfigEnvVar} at a valid kubeconfig file.", e);
        }
    }
}
