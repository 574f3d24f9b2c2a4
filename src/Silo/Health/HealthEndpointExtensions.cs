using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conductor.Silo.Health;

/// <summary>
/// Liveness (<c>/healthz</c>) and readiness (<c>/readyz</c>) on the internal port. Readiness is false until the host
/// has started every hosted service (for management: the silo has joined its cluster) and every watch registered in
/// <see cref="WatchReadiness"/> has delivered its first list; its JSON body names what it still waits for.
/// </summary>
public static class HealthEndpointExtensions
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";
    public const string ReadyTag = "ready";

    /// <summary>The category under which ASP.NET logs every unhealthy check at Error.</summary>
    internal const string HealthCheckLogCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    public static IServiceCollection AddAgentHealth(this IServiceCollection services)
    {
        services.AddSingleton<StartedCheck>();
        services.TryAddSingleton<WatchReadiness>();
        services.AddHealthChecks()
            .AddCheck<StartedCheck>("started", tags: [ReadyTag])
            .AddCheck<WatchesSyncedCheck>("watches", tags: [ReadyTag]);
        // A not-ready probe is expected while starting (and every few seconds in a sandbox without onboarding); the
        // probe's own answer carries the reason, so ASP.NET's Error line per probe is noise.
        services.AddLogging(logging => logging.AddFilter(HealthCheckLogCategory, LogLevel.Critical));
        return services;
    }

    public static WebApplication MapAgentHealth(this WebApplication app, int internalPort)
    {
        var onInternalPort = $"*:{internalPort}";
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false }).RequireHost(onInternalPort);
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).RequireHost(onInternalPort);
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
