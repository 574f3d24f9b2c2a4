using Conductor.Silo.Kubernetes;
using Conductor.Silo.Leadership;
using Conductor.Silo.Startup;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Drift;

/// <summary>Registers drift detection on a tenant and the DriftSignal handler on management.</summary>
public static class DriftExtensions
{
    /// <summary>Tenant: the drift loops, writing signals on management as the leader.</summary>
    public static IServiceCollection AddTenantDriftDetection(this IServiceCollection services)
    {
        AddDriftOptions(services, tenant: true);
        services.AddManagementCluster();
        services.AddHostedService<TenantDriftHost>();
        return services;
    }

    /// <summary>Management: the watch-driven DriftSignal handler, writing as the leader.</summary>
    public static IServiceCollection AddDriftSignalHandler(this IServiceCollection services)
    {
        AddDriftOptions(services, tenant: false);
        services.AddHostedService<DriftSignalHandlerService>();
        return services;
    }

    private static void AddDriftOptions(IServiceCollection services, bool tenant)
    {
        services.AddKubernetesAccess();
        services.AddLeadership();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptionsWithValidateOnStart<DriftOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                configuration.Bind(options);
                options.ResyncPeriod = DurationSetting.Read(configuration, DriftOptions.ResyncPeriodEnvVar, options.ResyncPeriod, options.Unreadable);
            });
        services.AddSingleton<IValidateOptions<DriftOptions>>(new DriftOptionsValidator(tenant));
    }
}
