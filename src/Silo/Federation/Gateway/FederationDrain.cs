using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Graceful drain of the federation gateway when the management replica stops. The drain begins as soon as the
/// host starts stopping (before any service stops): each stream stops reading, finishes storing what it read,
/// sends the acknowledgements and ends with an OK status, so the tenant sees a clean close and reconnects at once
/// (to another replica: this one refuses new streams meanwhile). The silo's own shutdown waits at its Active
/// stage until every stream has ended, so the audit sinks are still there to store the last batches.
/// </summary>
public sealed partial class FederationDrain(FederationStreamRegistry registry, IHostApplicationLifetime lifetime, ILogger<FederationDrain> logger)
    : IHostedService, ILifecycleParticipant<ISiloLifecycle>
{
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(Begin);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FederationDrain), ServiceLifecycleStage.Active, _ => Task.CompletedTask, DrainAsync);

    private void Begin()
    {
        if (!registry.IsDraining)
        {
            LogDraining(logger, registry.OpenStreams);
            registry.BeginDrain();
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        Begin();
        await _stopping.DisposeAsync();
        try
        {
            await registry.WhenDrainedAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout: what remains is cut; those tenants replay from their last ack.
            LogDrainCut(logger, registry.OpenStreams);
        }
    }

    [LoggerMessage(EventId = 3032, Level = LogLevel.Information, Message = "Draining {Count} federation streams: tenants are told to reconnect elsewhere")]
    private static partial void LogDraining(ILogger logger, int count);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "Shutdown timeout reached with {Count} federation streams still open; cutting them")]
    private static partial void LogDrainCut(ILogger logger, int count);
}
