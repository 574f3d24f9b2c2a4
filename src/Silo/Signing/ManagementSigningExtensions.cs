using Conductor.Grains.Signing;
using Conductor.Silo.Kubernetes;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Signing;

/// <summary>Registers management signing: the key file, the watch-driven signing service and the grain's dependencies.</summary>
public static class ManagementSigningExtensions
{
    public static WebApplicationBuilder AddManagementSigning(this WebApplicationBuilder builder)
    {
        builder.Services.AddManagementSigning(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddManagementSigning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<SigningOptions>().Bind(configuration);
        services.AddSingleton<IValidateOptions<SigningOptions>, SigningOptionsValidator>();
        services.AddKubernetesAccess();
        // Resolved only when SIGNING_PRIVATE_KEY_PATH is set: the service asks for the key, the grains for ISigningKeys.
        services.AddSingleton<SigningKeyFile>();
        services.AddSingleton<ISigningKeys>(provider => provider.GetRequiredService<SigningKeyFile>());
        services.AddHostedService<ManagementSigningService>();
        return services;
    }
}
