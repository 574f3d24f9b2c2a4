using System.Globalization;
using Conductor.Grains.Federation.Storage;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Startup;
using k8s;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tenant.Federation;

public static class FederationClientExtensions
{
    /// <summary>
    /// Registers the tenant federation client: options from <c>MGMT_ENDPOINT</c>, <c>FEDERATION_CLIENT_CERT_PATH</c>,
    /// <c>FEDERATION_CLIENT_KEY_PATH</c>, <c>FEDERATION_CA_CERT_PATH</c>, <c>FEDERATION_HEARTBEAT_SECONDS</c>,
    /// <c>POD_NAMESPACE</c>, <c>POD_NAME</c> and <c>CLUSTER_REF</c> (validated on start), the audit WAL, the revocation
    /// store and its watch (every replica follows the marks), the client itself, the degraded-condition reporter, and
    /// the hand-over of revocations to custody verification. The tenant cluster's <see cref="IKubernetes"/> is the agent's shared client (AddKubernetesAccess).
    /// </summary>
    public static IServiceCollection AddFederationClient(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<FederationClientOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.Endpoint = configuration[FederationClientOptions.EndpointVariable] ?? options.Endpoint;
                options.ClientCertificatePath = configuration[FederationClientOptions.ClientCertificatePathVariable] ?? options.ClientCertificatePath;
                options.ClientKeyPath = configuration[FederationClientOptions.ClientKeyPathVariable] ?? options.ClientKeyPath;
                options.CaCertificatePath = configuration[FederationClientOptions.CaCertificatePathVariable] ?? options.CaCertificatePath;
                options.AgentNamespace = configuration[AgentOptions.PodNamespaceEnvVar] is { Length: > 0 } ns ? ns : options.AgentNamespace;
                options.RunnerConfigName = configuration[AgentOptions.ClusterRefEnvVar] ?? options.RunnerConfigName;
                options.Replica = configuration[FederationClientOptions.ReplicaVariable] ?? options.Replica;
                if (configuration[FederationClientOptions.HeartBeatSecondsVariable] is { Length: > 0 } seconds)
                {
                    if (double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                    {
                        options.HeartBeatInterval = TimeSpan.FromSeconds(parsed);
                    }
                    else
                    {
                        options.Unparsable.Add($"{FederationClientOptions.HeartBeatSecondsVariable} '{seconds}' is not a number of seconds");
                    }
                }
            });
        services.AddSingleton<IValidateOptions<FederationClientOptions>, FederationClientOptionsValidator>();
        services.AddAuditWal();
        services.TryAddSingleton(TimeProvider.System);
        services.AddKubernetesAccess();
        services.TryAddSingleton<RunnerConfigConditionWriter>();
        services.AddSingleton<FederationChannelState>();
        services.AddSingleton<RevokedArtifacts>();
        services.AddHostedService<RevocationForwarder>();
        // After the forwarder, so it listens before the first list of the marks arrives.
        services.AddSingleton(provider => new RevokedArtifactsWatch(
            provider.GetRequiredService<RevokedArtifacts>(),
            new ConfigMapSource(provider.GetRequiredService<IKubernetes>(),
                provider.GetRequiredService<IOptions<FederationClientOptions>>().Value.AgentNamespace, RevokedArtifacts.ConfigMapName),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<RevokedArtifactsWatch>>(),
            provider.GetService<WatchReadiness>()));
        services.AddHostedService(provider => provider.GetRequiredService<RevokedArtifactsWatch>());
        services.AddSingleton<AuditEventLog>();
        services.AddSingleton<FederationClient>();
        services.AddHostedService(sp => sp.GetRequiredService<FederationClient>());
        services.AddHostedService<DegradedConditionReporter>();
        return services;
    }
}
