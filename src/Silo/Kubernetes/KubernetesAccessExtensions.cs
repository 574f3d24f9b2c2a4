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
        services.TryAddSingleton<IKubernetes>(_ => new k8s.Kubernetes(KubernetesAccess.Configuration(Environment.GetEnvironmentVariable)));
        // Watches built on this client report their first list to readiness (the agent maps it on /readyz).
        services.TryAddSingleton<WatchReadiness>();
        return services;
    }
}
