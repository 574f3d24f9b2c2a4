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
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"{KubeconfigEnvVar}={path} is not a usable kubeconfig ({e.Message}): point {KubeconfigEnvVar} at a valid kubeconfig file.", e);
        }
    }
}
