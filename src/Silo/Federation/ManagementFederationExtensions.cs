using Conductor.Grains.Federation;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Federation.Revocation;

namespace Conductor.Silo.Federation;

public static class ManagementFederationExtensions
{
    /// <summary>
    /// Management's whole federation side: the mTLS gateway, what the federation grains need, and the revocation
    /// watch. The grains themselves are found by the silo in the Grains assembly.
    /// </summary>
    public static IServiceCollection AddManagementFederation(this IServiceCollection services)
    {
        services.AddFederationGateway();
        services.AddFederationGrains();
        services.AddOptions<RevocationWatchOptions>();
        services.AddSingleton<RevocationWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<RevocationWatch>());
        return services;
    }

    /// <summary>Maps the gateway when <see cref="AddManagementFederation"/> registered it.</summary>
    public static WebApplication MapManagementFederation(this WebApplication app)
    {
        if (app.Services.GetService<FederationStreamRegistry>() is not null)
        {
            app.MapFederationGateway();
        }

        return app;
    }
}
