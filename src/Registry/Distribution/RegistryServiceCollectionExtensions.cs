using Conductor.Registry.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Registry.Distribution;

/// <summary>Registers the OCI registry client for hosts that compose with dependency injection.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="OciRegistryOptions"/> (validated on start), and a singleton <see cref="OciRegistryClient"/> that
    /// uses any registered <see cref="IRegistryCredentialProvider"/>, <see cref="TimeProvider"/> and logging.
    /// </summary>
    public static IServiceCollection AddOciRegistryClient(this IServiceCollection services,
        Action<OciRegistryOptions>? configure = null)
    {
        var options = services.AddOptions<OciRegistryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<OciRegistryOptions>, OciRegistryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => OciRegistryClient.Create(
            provider.GetRequiredService<IOptions<OciRegistryOptions>>().Value,
            provider.GetService<IRegistryCredentialProvider>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<OciRegistryClient>>()));
        return services;
    }
}
