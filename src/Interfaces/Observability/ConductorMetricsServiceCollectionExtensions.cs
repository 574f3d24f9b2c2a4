using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Conductor.Observability;

/// <summary>The one registration of <see cref="ConductorMetrics"/>: every component that records calls it, and all share one instance.</summary>
public static class ConductorMetricsServiceCollectionExtensions
{
    public static IServiceCollection AddConductorMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ConductorMetrics>();
        return services;
    }
}
