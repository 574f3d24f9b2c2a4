using System.Globalization;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.Gateway;

public static class FederationGatewayExtensions
{
    /// <summary>
    /// Registers the management federation gateway: options from <c>FEDERATION_PORT</c>,
    /// <c>FEDERATION_CA_CERT_PATH</c>, <c>FEDERATION_SERVER_CERT_PATH</c> and <c>FEDERATION_SERVER_KEY_PATH</c>
    /// (validated on start), gRPC, and the mTLS Kestrel listener. Note that an explicit Kestrel listener replaces
    /// URL-based bindings, so other ports of the process must be added with <c>Listen</c> too. On shutdown the
    /// streams drain cleanly (<see cref="FederationDrain"/>).
    /// </summary>
    public static IServiceCollection AddFederationGateway(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<FederationGatewayOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                // The section holds the tuning settings (bind address, grain call retries); the variables win.
                configuration.GetSection(FederationGatewayOptions.SectionName).Bind(options);
                if (configuration[FederationGatewayOptions.PortVariable] is { Length: > 0 } port)
                {
                    if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    {
                        options.Port = parsed;
                    }
                    else
                    {
                        options.UnparsablePort = port;
                    }
                }

                options.CaCertificatePath = configuration[FederationGatewayOptions.CaCertificatePathVariable] ?? options.CaCertificatePath;
                options.ServerCertificatePath = configuration[FederationGatewayOptions.ServerCertificatePathVariable] ?? options.ServerCertificatePath;
                options.ServerKeyPath = configuration[FederationGatewayOptions.ServerKeyPathVariable] ?? options.ServerKeyPath;
            });
        services.AddSingleton<IValidateOptions<FederationGatewayOptions>, FederationGatewayOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FederationCredentials>();
        services.AddSingleton<ClientCertificateVerifier>();
        services.AddSingleton<FederationStreamRegistry>();
        services.AddSingleton<GrainCallRetry>();
        services.AddSingleton<FederationDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<FederationDrain>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<FederationDrain>());
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, FederationKestrelSetup>();
        services.AddGrpc();
        // Binds Connect with the gateway's own request marshaller (the service has no generated binder).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<FederationService>, GatewayConnectMethod>());
        return services;
    }

    /// <summary>Maps the federation gRPC service.</summary>
    public static IEndpointRouteBuilder MapFederationGateway(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<FederationService>();
        return endpoints;
    }
}
