using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conductor.Silo.Health;

/// <summary>
/// Liveness (<c>/healthz</c>) and readiness (<c>/readyz</c>) on the internal port. Readiness is false until the host
/// has started every hosted service (for management: the silo has joined its cluster).
/// </summary>
public static class HealthEndpointExtensions
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";
    public const string ReadyTag = "ready";

    public static IServiceCollection AddAgentHealth(this IServiceCollection services)
    {
        services.AddSingleton<StartedCheck>();
        services.AddHealthChecks().AddCheck<StartedCheck>("started", tags: [ReadyTag]);
        return services;
    }

    public static WebApplication MapAgentHealth(this WebApplication app, int internalPort)
    {
        var onInternalPort = $"*:{internalPort}";
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false }).RequireHost(onInternalPort);
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) })
            .RequireHost(onInternalPort);
        return app;
    }

    /// <summary>Healthy once the host reports <see cref="IHostApplicationLifetime.ApplicationStarted"/>.</summary>
    private sealed class StartedCheck(IHostApplicationLifetime lifetime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("the agent is still starting"));
    }
}
