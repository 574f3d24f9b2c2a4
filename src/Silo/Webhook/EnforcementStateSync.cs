using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using k8s;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Webhook;

/// <summary>
/// Every replica watches the persisted enforcement state and applies it to its own <see cref="EnforcementGate"/>;
/// nothing here depends on being the leader.
/// </summary>
public sealed partial class EnforcementStateSync(
    IServiceProvider services, EnforcementGate gate, IOptions<WebhookOptions> options, TimeProvider time, ILogger<EnforcementStateSync> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IKubernetes client;
        try
        {
            client = services.GetRequiredService<IKubernetes>();
        }
        catch (InvalidOperationException e)
        {
            LogNoClient(logger, e.Message, e);
            return;
        }
        await using var informer = new ResourceInformer<k8s.Models.V1ConfigMap>(
            new ConfigMapSource(client, options.Value.Namespace, EnforcementGate.ConfigMapName), time, logger, readiness: services.GetService<WatchReadiness>());
        using var subscription = informer.Subscribe((change, _) =>
        {
            if (change.Type != WatchEventType.Deleted)
            {
                gate.Observe(change.Object);
            }
            return Task.CompletedTask;
        });
        await informer.StartAsync(stoppingToken);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        await informer.StopAsync(CancellationToken.None);
    }

    [LoggerMessage(1, LogLevel.Error, "Cannot watch the RBAC enforcement state, so this replica stays in audit mode: {Reason}")]
    private static partial void LogNoClient(ILogger logger, string reason, Exception exception);
}
