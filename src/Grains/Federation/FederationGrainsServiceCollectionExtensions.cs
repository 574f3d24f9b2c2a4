using System.Globalization;
using Conductor.Grains.Federation.Onboarding;
using Conductor.Grains.Federation.Storage;
using Conductor.Observability;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Conductor.Grains.Federation;

public static class FederationGrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the federation grains need: <see cref="FederationGrainOptions"/> (from
    /// <c>FEDERATION_HEARTBEAT_SECONDS</c> and <c>FEDERATION_STORE_NAMESPACE</c>, validated on start) and the
    /// Kubernetes stores. An <see cref="IKubernetes"/> for the management cluster must be registered; when none is,
    /// one is built from <c>KUBECONFIG</c> or the in-cluster service account. The grains record into
    /// <see cref="ConductorMetrics"/> (degraded tenants, audit events received and acknowledged).
    /// </summary>
    public static IServiceCollection AddFederationGrains(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<FederationGrainOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration[FederationGrainOptions.HeartBeatSecondsVariable] is { Length: > 0 } seconds)
                {
                    options.HeartBeatInterval = double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                        ? TimeSpan.FromSeconds(parsed)
                        : TimeSpan.Zero; // reported by the validator
                }

                options.StoreNamespace = configuration[FederationGrainOptions.StoreNamespaceVariable] ?? options.StoreNamespace;
            });
        services.AddSingleton<IValidateOptions<FederationGrainOptions>, FederationGrainOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetes>(_ => new Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig()));
        services.TryAddSingleton<RunnerConfigConditionWriter>();
        services.TryAddSingleton<PermissionSnapshotHandshake>();
        // A snapshot the signer signs while its tenant is connected is pushed at once (the signer asks for this optionally).
        services.TryAddSingleton<Signing.ISignedSnapshotPush, LiveSnapshotPush>();
        services.AddConductorMetrics();
        return services;
    }
}
