using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Retries a gateway grain call that the runtime refused because the silo hosting the grain is unavailable: while
/// membership has not yet declared that silo dead, calls to its grains fail fast, and ending the tenant's stream for
/// that would turn every membership change into a reconnect storm. Waits double from
/// <see cref="FederationGatewayOptions.GrainCallRetryDelay"/> until <see cref="FederationGatewayOptions.GrainCallRetryBudget"/>
/// is spent, then the last refusal is thrown. A message the runtime refused never reached the grain, so the retry
/// cannot apply a call twice; any other failure is the grain's answer and is thrown at once.
/// </summary>
public sealed partial class GrainCallRetry(IOptions<FederationGatewayOptions> options, TimeProvider time, ILogger<GrainCallRetry> logger)
{
    /// <summary>Whether <paramref name="error"/> is a refusal that a membership change explains.</summary>
    public static bool IsTransient(Exception error) => error is SiloUnavailableException or OrleansMessageRejectionException;

    public async Task<T> RunAsync<T>(Func<Task<T>> call, string clusterId, string operation, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.Value);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && backoff.Next() is { } wait)
            {
                LogRetrying(logger, clusterId, operation, backoff.Attempt, wait.TotalMilliseconds, e.Message);
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    public Task RunAsync(Func<Task> call, string clusterId, string operation, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await call();
            return true;
        }, clusterId, operation, cancellationToken);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Warning,
        Message = "Grain call {Operation} for cluster {ClusterId} was refused ({Reason}); retry {Attempt} in {DelayMs} ms while membership settles")]
    private static partial void LogRetrying(ILogger logger, string clusterId, string operation, int attempt, double delayMs, string reason);

    /// <summary>Doubling waits whose sum never exceeds the budget; null once it is spent.</summary>
    private sealed class Backoff(FederationGatewayOptions settings)
    {
        private TimeSpan _next = settings.GrainCallRetryDelay;
        private TimeSpan _spent;

        public int Attempt { get; private set; }

        public TimeSpan? Next()
        {
            var left = settings.GrainCallRetryBudget - _spent;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }
            var wait = _next < left ? _next : left;
            _spent += wait;
            _next += _next;
            Attempt++;
            return wait;
        }
    }
}
