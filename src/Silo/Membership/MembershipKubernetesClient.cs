using k8s;

namespace Conductor.Silo.Membership;

/// <summary>
/// The API client the membership table talks through: the host's <see cref="IKubernetes"/> when one is registered,
/// otherwise one built here from <c>KUBECONFIG</c> (or <c>~/.kube/config</c>) or the pod's service account.
/// </summary>
/// <remarks>Kept private to membership until the agent's shared Kubernetes access (AddKubernetesAccess) registers one client for all.</remarks>
internal static class MembershipKubernetesClient
{
    /// <summary>Returns the client and, when it was built here, the same object as the owner to dispose.</summary>
    public static (IKubernetes Client, IDisposable? Owned) Resolve(IServiceProvider services)
    {
        if (services.GetService<IKubernetes>() is { } registered)
        {
            return (registered, null);
        }
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildDefaultConfig();
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or FileNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"{KubernetesMembershipOptions.ClusteringEnvVar}={KubernetesMembershipOptions.KubernetesClustering} needs the Kubernetes API: run in a pod " +
                $"with a service account, or set KUBECONFIG to a kubeconfig file. ({ex.Message})", ex);
        }
        var client = new Kubernetes(configuration);
        return (client, client);
    }
}
