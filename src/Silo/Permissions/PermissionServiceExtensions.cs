using System.Globalization;
using Conductor.Silo.Startup;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Permissions;

public static partial class PermissionServiceExtensions
{
    /// <summary>The gRPC service name clients ask grpc.health.v1 about (the empty name works too).</summary>
    public const string HealthServiceName = "conductor.permissions.v1alpha1.PermissionService";

    /// <summary>
    /// Registers the PermissionService on <c>PERMISSION_SERVICE_PORT</c> over TLS, the per-replica snapshot store and
    /// its watch, and grpc.health.v1 reporting NOT_SERVING until a verified snapshot is loaded. Tenant role only.
    /// </summary>
    public static IServiceCollection AddPermissionService(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<PermissionServiceOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration[PermissionServiceOptions.PortEnvVar] is { Length: > 0 } port)
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
                options.CertificatePath = configuration[PermissionServiceOptions.CertificatePathEnvVar] ?? options.CertificatePath;
                options.KeyPath = configuration[PermissionServiceOptions.KeyPathEnvVar] ?? options.KeyPath;
                options.Namespace = configuration[AgentOptions.PodNamespaceEnvVar] is { Length: > 0 } ns ? ns : AgentOptions.DefaultNamespace;
                options.Cluster = configuration[AgentOptions.ClusterRefEnvVar] ?? "";
            });
        services.AddSingleton<IValidateOptions<PermissionServiceOptions>, PermissionServiceOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PermissionSnapshotStore>();
        services.AddHostedService<PermissionSnapshotSync>();
        services.AddGrpc();
        services.AddGrpcHealthChecks(o =>
            {
                // Only the snapshot check decides; other health checks in the process do not leak into this service.
                o.Services.Map("", r => r.Tags.Contains(SnapshotLoadedHealthCheck.Tag));
                o.Services.Map(HealthServiceName, r => r.Tags.Contains(SnapshotLoadedHealthCheck.Tag));
            })
            .AddCheck<SnapshotLoadedHealthCheck>(SnapshotLoadedHealthCheck.Name, tags: [SnapshotLoadedHealthCheck.Tag]);
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, PermissionServiceKestrelSetup>();
        return services;
    }

    /// <summary>Maps the service and its health service on the PermissionService port only; logs that it is off without TLS files.</summary>
    public static WebApplication MapPermissionService(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<PermissionServiceOptions>>().Value;
        if (!options.Enabled)
        {
            LogDisabled(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PermissionServiceExtensions)));
            return app;
        }
        var onPort = $"*:{options.Port}";
        app.MapGrpcService<PermissionGrpcService>().RequireHost(onPort);
        app.MapGrpcHealthChecksService().RequireHost(onPort);
        return app;
    }

    [LoggerMessage(1, LogLevel.Warning, "PermissionService disabled: set PERMISSION_SERVICE_TLS_CERT_PATH and PERMISSION_SERVICE_TLS_KEY_PATH to serve it over TLS on PERMISSION_SERVICE_PORT")]
    private static partial void LogDisabled(ILogger logger);
}
