using Conductor.Custody;
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
        // Only the tenant leader writes receipts (DESIGN §2).
        services.AddLeadership();
        services.AddSingleton<RevocationRegistry>();
        // The federation client hands RevocationPush messages here.
        services.AddSingleton<IRevocationSink>(provider => provider.GetRequiredService<RevocationRegistry>());
        services.AddHostedService<CustodyHost>();
        return services;
    }
}
