using Conductor.Silo.Kubernetes;
using k8s;

namespace Conductor.Silo.Membership;

/// <summary>
/// The API client the membership table talks through: the host's <see cref="IKubernetes"/> when one is registered,
/// otherwise one built here the way <see cref="KubernetesAccess"/> resolves the agent's own (the silo configures
/// clustering before the host's container exists).
/// </summary>
internal static class MembershipKubernetesClient
{
    /// <summary>Returns the client and, when it was built here, the same object as the owner to dispose.</summary>
    public static (IKubernetes Client, IDisposable? Owned) Resolve(IServiceProvider services)
    {
        if (services.GetService<IKubernetes>() is { } registered)
        {
            return (registered, null);
        }
        // The same resolution as the agent's shared client: in-cluster, else KUBECONFIG, with the fix in the error.
        var configuration = KubernetesAccess.Configuration(Environment.GetEnvironmentVariable);
        var client = new k8s.Kubernetes(configuration);
        return (client, client);
    }
}
