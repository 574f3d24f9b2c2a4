using Conductor.Custody;
using Conductor.Grains.Federation.Storage;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Leadership;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using k8s;

namespace Conductor.Silo.Custody;

/// <summary>Registers tenant custody verification: the pull loops, the trusted keys and the revocation sink.</summary>
public static class CustodyExtensions
{
    public static WebApplicationBuilder AddCustodyVerification(this WebApplicationBuilder builder)
    {
        builder.Services.AddCustodyVerification(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddCustodyVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<CustodyOptions>().Bind(configuration);
        services.AddSingleton<IValidateOptions<CustodyOptions>, CustodyOptionsValidator>();
        services.AddKubernetesAccess();
        services.AddManagementCluster();
        // Only the tenant leader writes receipts (DESIGN §2).
        services.AddLeadership();
        services.AddSingleton<RevocationRegistry>();
        // The federation client hands RevocationPush messages here.
        services.AddSingleton<IRevocationSink>(provider => provider.GetRequiredService<RevocationRegistry>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunnerConfigConditionWriter>();
        // One writer for pulled and pushed snapshots alike, so the two never race on the same receipt.
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<CustodyOptions>>().Value;
            return new VerifiedSnapshotWriter(provider.GetRequiredService<IKubernetes>(), settings.ReceiptNamespace, settings.ClusterRef,
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<CustodyOptions>>().Value;
            return new SecurityStateReporter(provider.GetRequiredService<RunnerConfigConditionWriter>(), settings.ReceiptNamespace, settings.ClusterRef);
        });
        // The federation client hands management's onboarding push here (seed §15).
        services.AddSingleton<IPermissionSnapshotInbox, OnboardingSnapshotInbox>();
        services.AddHostedService<CustodyHost>();
        return services;
    }
}
