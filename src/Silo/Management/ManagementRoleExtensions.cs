using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Drift;
using Conductor.Silo.Federation;
using Conductor.Silo.Membership;
using Conductor.Silo.Sequencing;
using Conductor.Silo.Signing;
using Conductor.Silo.Startup;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Conductor.Silo.Management;

/// <summary>Composes the management role: the Orleans silo whose grains hold sessions, signing and sequencing.</summary>
public static class ManagementRoleExtensions
{
    public static WebApplicationBuilder AddManagementRole(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<ManagementOptions>().Bind(builder.Configuration);
        builder.Services.AddSingleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>();

        // Orleans' endpoints are fixed when the silo is configured, so these options are read (and validated) now.
        var options = (builder.Configuration.Get<ManagementOptions>() ?? new ManagementOptions()).Validated(new ManagementOptionsValidator());
        var membership = (builder.Configuration.Get<KubernetesMembershipOptions>() ?? new KubernetesMembershipOptions())
            .Validated(new KubernetesMembershipOptionsValidator(options.ClusterId));
        builder.UseOrleans(silo =>
        {
            // Localhost clustering is the embedded default (DESIGN §4); Kubernetes membership replaces it in-cluster.
            silo.UseConfiguredClustering(membership, options.SiloPort, options.GatewayPort, options.ServiceId, options.ClusterId);
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
            silo.AddMemoryGrainStorageAsDefault();
            // Grain calls continue the caller's trace (a federation stream's request span, a watch event's span).
            silo.AddActivityPropagation();
            silo.UseFleetSizedDirectoryCache();
        });
        builder.Services.AddStepSequencing(builder.Configuration);
        builder.AddManagementSigning();
        builder.Services.AddDriftSignalHandler();

        // The federation gateway starts once its CA is configured (FEDERATION_CA_CERT_PATH), as the reference does.
        if (builder.Configuration[FederationGatewayOptions.CaCertificatePathVariable] is { Length: > 0 })
        {
            builder.Services.AddManagementFederation();
        }

        return builder;
    }
}
