using Conductor.Grains.Federation.Storage;
using Conductor.Runner;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// Mirrors <see cref="FederationChannelState.Degraded"/> into the FederationChannelDegraded condition of this
/// cluster's RunnerConfig on the tenant cluster, writing only when the value changes; failed writes are retried.
/// </summary>
public sealed partial class DegradedConditionReporter(
    FederationChannelState state, FederationClient client, RunnerConfigConditionWriter writer, IOptions<FederationClientOptions> options,
    TimeProvider time, ILogger<DegradedConditionReporter> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var name = options.Value.RunnerConfigName is { Length: > 0 } configured ? configured : client.ClusterId;
        bool? written = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var change = state.NextChangeAsync(stoppingToken);
                var degraded = state.Degraded;
                if (written != degraded)
                {
                    try
                    {
                        await writer.SetAsync(options.Value.AgentNamespace, name, ConditionTypes.FederationChannelDegraded, degraded,
                            degraded ? "ChannelLost" : "ChannelLive",
                            degraded
                                ? "The federation channel to management is down or unacknowledged; audit events wait in the WAL and validation fails closed"
                                : "The federation channel to management is live", stoppingToken);
                        written = degraded;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogWriteFailed(logger, e, options.Value.AgentNamespace, name);
                        await Task.Delay(RetryDelay, time, stoppingToken);
                        continue;
                    }
                }

                await change;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is a normal end: the task must complete, or the host reports the service failed.
        }
    }

    [LoggerMessage(EventId = 3330, Level = LogLevel.Warning,
        Message = "Could not record FederationChannelDegraded on RunnerConfig {Namespace}/{Name}; retrying")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string @namespace, string name);
}
