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
        services.TryAddSingleton<IKubernetes>(_ =>
        {
            var configuration = KubernetesAccess.Configuration(Environment.GetEnvironmentVariable);
            // HTTP/1.1, one connection per concurrent request. Over HTTP/2 KubernetesClient deserializes each response
            // body synchronously from the multiplexed stream, which blocks a thread-pool thread (and an Orleans
            // scheduler turn) per request in flight: with 200 RunnerConfigs sequencing at once that starved the pool
            // and put the Job-terminal-to-StepResult p99 at 9-14 s against 3.5-5.8 s over HTTP/1.1 in the same runs.
            configuration.DisableHttp2 = true;
            return new k8s.Kubernetes(configuration);
        });
        // Watches built on this client report their first list to readiness (the agent maps it on /readyz).
        services.TryAddSingleton<WatchReadiness>();
        return services;
    }
}
