using Conductor.Discovery;
using Conductor.Silo.Leadership;
using Conductor.Silo.Startup;
using Conductor.Silo.Webhook;
using k8s;

namespace Conductor.Silo.Sweep;

public static class SweepExtensions
{
    /// <summary>The TenantBootstrapSweep, leader only, at election and every <c>SWEEP_INTERVAL</c>. Tenant role only.</summary>
    public static IServiceCollection AddTenantBootstrapSweep(this IServiceCollection services)
    {
        services.AddLeadership();
        services.AddAdmissionWebhooks();
        services.AddOptions<SweepOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Namespace = configuration[AgentOptions.PodNamespaceEnvVar] is { Length: > 0 } ns ? ns : AgentOptions.DefaultNamespace;
                options.ClusterName = configuration[AgentOptions.ClusterRefEnvVar] ?? "";
                options.NamespaceLabelSelector = configuration[SweepOptions.NamespaceSelectorEnvVar] is { Length: > 0 } namespaces ? namespaces : null;
                options.ClusterScopedLabelSelector = configuration[SweepOptions.ClusterScopedSelectorEnvVar] is { Length: > 0 } cluster ? cluster : null;
                options.Interval = DurationSetting.Read(configuration, SweepOptions.IntervalEnvVar, options.Interval, options.Unreadable);
            })
            .Validate(options => options.Unreadable.Count == 0, $"{SweepOptions.IntervalEnvVar} is not a duration: write it like 5m")
            .ValidateOnStart();
        services.AddSingleton(sp => new ApiDiscovery(sp.GetRequiredService<IKubernetes>()));
        services.AddSingleton<StampRbacOwnershipStep>();
        services.AddSingleton<GuardianApiStep>();
        services.AddSingleton<ComponentProfilesStep>();
        services.AddSingleton<EnforcementStep>();
        services.AddSingleton<TenantBootstrapSweep>();
        services.AddHostedService<TenantBootstrapSweepService>();
        return services;
    }
}
