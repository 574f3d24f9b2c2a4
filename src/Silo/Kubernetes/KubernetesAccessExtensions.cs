using Conductor.Silo.Health;
using k8s;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Conductor.Silo.Kubernetes;

/// <summary>Registers the agent's one shared <see cref="IKubernetes"/> client (see <see cref="KubernetesAccess"/>).</summary>
public static class KubernetesAccessExtensions
{
    /// <summary>
    /// Adds <see cref="IKubernetes"/> unless one is registered already (tests register their own). The client is
    /// built on first use, so a missing kubeconfig fails the first component that needs the API, with the fix.
    /// </summary>
    public static IServiceCollection AddKubernetesAccess(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => KubernetesAccess.Client(KubernetesAccess.Configuration(Environment.GetEnvironmentVariable)));
        // Watches built on this client report their first list to readiness (the agent maps it on /readyz).
        services.TryAddSingleton<WatchReadiness>();
        return services;
    }

    /// <summary>
    /// Adds the one <see cref="ManagementCluster"/> client of a tenant agent, from <c>MGMT_KUBECONFIG_PATH</c>, unless
    /// one is registered already.
    /// </summary>
    public static IServiceCollection AddManagementCluster(this IServiceCollection services)
    {
        services.TryAddSingleton(provider =>
            new ManagementCluster(provider.GetRequiredService<IConfiguration>()[ManagementCluster.KubeconfigEnvVar]));
        return services;
    }
}
