using Conductor.Silo.Kubernetes;
using Conductor.Silo.Leadership;
using Microsoft.Extensions.Options;
using k8s;

namespace Conductor.Silo.Custody;

/// <summary>
/// Starts <see cref="CustodyService"/> when <see cref="CustodyOptions.ManagementKubeconfigPath"/> is set, and polls the
/// trusted key directory; otherwise says, once, that nothing pulled from management is verified by this agent.
/// </summary>
public sealed partial class CustodyHost(IServiceProvider services, IOptions<CustodyOptions> options, ManagementCluster management, TimeProvider time,
    ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<CustodyHost>();
    private readonly CancellationTokenSource _stopping = new();
    private CustodyService? _service;
    private Task? _poll;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            LogDisabled(_logger, CustodyOptions.ManagementKubeconfigEnvVar);
            return;
        }
        var keys = new TrustedKeysDirectory(settings.PublicKeysDirectory!);
        _service = new CustodyService(settings, management.Client, services.GetRequiredService<IKubernetes>(), keys,
            services.GetRequiredService<RevocationRegistry>(), services.GetRequiredService<ILeadership>(), time,
            loggers.CreateLogger<CustodyService>(), services.GetRequiredService<VerifiedSnapshotWriter>(),
            services.GetRequiredService<SecurityStateReporter>(), services.GetService<Health.WatchReadiness>());
        await _service.StartAsync(cancellationToken);
        _poll = Task.Run(() => PollKeysAsync(keys, TimeSpan.FromSeconds(settings.KeyReloadSeconds), _stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_poll is { } poll)
        {
            await poll.WaitAsync(cancellationToken);
        }
        if (_service is { } service)
        {
            await service.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (_service is { } service)
        {
            service.Dispose();
        }
        _stopping.Dispose();
    }

    private async Task PollKeysAsync(TrustedKeysDirectory keys, TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    if (keys.Reload())
                    {
                        LogKeysChanged(_logger, keys.Path, string.Join(", ", keys.Current.KeyIds));
                    }
                }
                catch (Conductor.Signing.SigningKeyException e)
                {
                    LogKeysUnreadable(_logger, keys.Path, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Pack and permission verification is off: {Variable} is not set; set it to the management kubeconfig so this cluster acts only on signed packs and permissions")]
    private static partial void LogDisabled(ILogger logger, string variable);

    [LoggerMessage(2, LogLevel.Information, "Trusted management keys in {Path} changed to {KeyIds}; re-verifying every receipt")]
    private static partial void LogKeysChanged(ILogger logger, string path, string keyIds);

    [LoggerMessage(3, LogLevel.Error, "Trusted key directory {Path} is unreadable, keeping the last good keys: {Reason}; fix the mounted public keys")]
    private static partial void LogKeysUnreadable(ILogger logger, string path, string reason);
}
