using System.Globalization;
using Conductor.Observability;
using Conductor.Silo.Leadership;
using Conductor.Silo.Startup;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Webhook;

public static partial class WebhookExtensions
{
    /// <summary>
    /// Registers the tenant admission webhooks (RBAC ownership and the sealed causal chain) on <c>WEBHOOK_PORT</c>
    /// over HTTPS, the enforcement gate and the watch on its persisted state. Tenant role only.
    /// </summary>
    public static IServiceCollection AddAdmissionWebhooks(this IServiceCollection services)
    {
        services.AddLeadership();
        services.AddOptionsWithValidateOnStart<WebhookOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration[WebhookOptions.PortEnvVar] is { Length: > 0 } port)
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
                options.CertificatePath = configuration[WebhookOptions.CertificatePathEnvVar] ?? options.CertificatePath;
                options.KeyPath = configuration[WebhookOptions.KeyPathEnvVar] ?? options.KeyPath;
                options.Namespace = configuration[AgentOptions.PodNamespaceEnvVar] is { Length: > 0 } ns ? ns : AgentOptions.DefaultNamespace;
            });
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EnforcementGate>();
        // Every decision is counted on conductor.webhook.decisions (the agent registers the one instance first).
        services.AddConductorMetrics();
        services.AddHostedService<EnforcementStateSync>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, WebhookKestrelSetup>();
        return services;
    }

    /// <summary>Maps both endpoints on the webhook port only; logs that the webhook is off when its TLS files are not set.</summary>
    public static WebApplication MapAdmissionWebhooks(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;
        if (!options.Enabled)
        {
            LogDisabled(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookExtensions)));
            return app;
        }
        var onWebhookPort = $"*:{options.Port}";
        app.MapRbacOwnership().RequireHost(onWebhookPort);
        app.MapLineage().RequireHost(onWebhookPort);
        return app;
    }

    [LoggerMessage(1, LogLevel.Warning, "Admission webhook disabled: set WEBHOOK_TLS_CERT_PATH and WEBHOOK_TLS_KEY_PATH to serve /validate/rbac-ownership and /validate/sealed-causal-chain on WEBHOOK_PORT")]
    private static partial void LogDisabled(ILogger logger);
}
