using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.AuditWal;

public static class AuditWalServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AuditWalOptions"/> (from <c>WAL_PATH</c> and <c>WAL_MAX_BYTES</c>, validated on start) and
    /// the <see cref="AuditWal"/> singleton, opened and recovered on first use.
    /// </summary>
    public static IServiceCollection AddAuditWal(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AuditWalOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration[AuditWalOptions.PathVariable] is { Length: > 0 } path)
                {
                    options.Path = path;
                }

                if (configuration[AuditWalOptions.MaxBytesVariable] is { Length: > 0 } maxBytes)
                {
                    if (long.TryParse(maxBytes, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    {
                        options.MaxBytes = parsed;
                    }
                    else
                    {
                        options.UnparsableMaxBytes = maxBytes;
                    }
                }
            });
        services.AddSingleton<IValidateOptions<AuditWalOptions>, AuditWalOptionsValidator>();
        services.AddSingleton(sp => AuditWal.Open(
            sp.GetRequiredService<IOptions<AuditWalOptions>>().Value, sp.GetRequiredService<ILogger<AuditWal>>()));
        return services;
    }
}
