using Conductor.Silo.Kubernetes;
using Conductor.Silo.Startup;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Leadership;

public static class LeadershipExtensions
{
    /// <summary>
    /// Registers the Lease election (<see cref="ILeadership"/>) and the <see cref="LeaderOnlyWriter"/> every
    /// leader-only write goes through. Idempotent: each capability that writes calls it.
    /// </summary>
    public static IServiceCollection AddLeadership(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(LeaseElection)))
        {
            return services;
        }
        services.AddKubernetesAccess();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptionsWithValidateOnStart<LeadershipOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Identity = configuration[LeadershipOptions.PodNameEnvVar] is { Length: > 0 } pod ? pod : options.Identity;
                options.LeaseDuration = DurationSetting.Read(configuration, LeadershipOptions.LeaseDurationEnvVar, options.LeaseDuration, options.Unreadable);
                options.RenewDeadline = DurationSetting.Read(configuration, LeadershipOptions.RenewDeadlineEnvVar, options.RenewDeadline, options.Unreadable);
                options.RetryPeriod = DurationSetting.Read(configuration, LeadershipOptions.RetryPeriodEnvVar, options.RetryPeriod, options.Unreadable);
                options.Namespace = configuration[AgentOptions.PodNamespaceEnvVar] is { Length: > 0 } ns ? ns : AgentOptions.DefaultNamespace;
                options.LeaseName = LeadershipOptions.LeaseNamePrefix + configuration[AgentOptions.ClusterRefEnvVar];
            });
        services.AddSingleton<IValidateOptions<LeadershipOptions>, LeadershipOptionsValidator>();
        services.AddSingleton<LeaseElection>();
        services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<LeaseElection>());
        services.AddHostedService(sp => sp.GetRequiredService<LeaseElection>());
        services.AddSingleton<LeaderOnlyWriter>();
        return services;
    }
}
