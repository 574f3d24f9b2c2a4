using Conductor.Silo.Leadership;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Sweep;

/// <summary>Runs the sweep as the leader: at election, then every <see cref="SweepOptions.Interval"/>.</summary>
public sealed partial class TenantBootstrapSweepService(
    IServiceProvider services, ILeadership leadership, IOptions<SweepOptions> options, TimeProvider time, ILogger<TenantBootstrapSweepService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => leadership.RunEachTermAsync(async term =>
    {
        var sweep = services.GetRequiredService<TenantBootstrapSweep>();
        while (!term.IsCancellationRequested)
        {
            try
            {
                await sweep.RunOnceAsync(term);
            }
            catch (Exception e) when (e is not OperationCanceledException and not NotLeaderException)
            {
                LogFailed(logger, e.Message, e);
            }
            await Task.Delay(options.Value.Interval, time, term);
        }
    }, stoppingToken);

    [LoggerMessage(1, LogLevel.Error, "TenantBootstrapSweep failed: {Reason}; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, string reason, Exception exception);
}
