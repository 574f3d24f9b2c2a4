using Conductor.Silo.Leadership;
using Conductor.Silo.Startup;

namespace Conductor.Silo.Capabilities;

public static class CapabilityDeclarationExtensions
{
    /// <summary>Declares the capability manifest into <c>RunnerConfig {cluster}</c> status as the Lease leader (both roles).</summary>
    public static WebApplicationBuilder AddCapabilityDeclaration(this WebApplicationBuilder builder)
    {
        builder.Services.AddLeadership();
        builder.Services.AddOptions<CapabilityDeclarationOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Namespace = configuration[AgentOptions.PodNamespaceEnvVar] is { Length: > 0 } ns ? ns : AgentOptions.DefaultNamespace;
                options.RunnerConfigName = configuration[AgentOptions.ClusterRefEnvVar] ?? "";
                options.RecheckInterval = DurationSetting.Read(configuration, CapabilityDeclarationOptions.RecheckIntervalEnvVar, options.RecheckInterval, options.Unreadable);
            })
            .Validate(options => options.Unreadable.Count == 0, $"{CapabilityDeclarationOptions.RecheckIntervalEnvVar} is not a duration: write it like 30s")
            .ValidateOnStart();
        builder.Services.AddSingleton<CapabilityDeclarationService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CapabilityDeclarationService>());
        return builder;
    }
}
