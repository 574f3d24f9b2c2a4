using System.Net;
using System.Net.Sockets;

namespace Conductor.Registry.Retry;

/// <summary>
/// Bounded retries with exponential backoff and jitter. Only transient failures are retried: connection failures,
/// timeouts, 429 and 502/503/504. Client errors (400, 401, 403, 404, …) and 500 are final, because repeating the
/// same request cannot change their answer.
/// </summary>
public sealed class RetryPolicy
{
    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _jitter;

    /// <summary>Creates the policy. <paramref name="jitter"/> returns values in [0, 1); defaults to a shared random.</summary>
    public RetryPolicy(int maxAttempts, TimeSpan initialDelay, TimeSpan maxDelay, TimeProvider timeProvider,
        Func<double>? jitter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        MaxAttempts = maxAttempts;
        InitialDelay = initialDelay;
        MaxDelay = maxDelay;
        _timeProvider = timeProvider;
        _jitter = jitter ?? Random.Shared.NextDouble;
    }

    /// <summary>Total attempts, including the first.</summary>
    public int MaxAttempts { get; }

    /// <summary>Base delay before the first retry.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>Cap on one delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>True for the statuses worth repeating: 429, 502, 503, 504.</summary>
    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// True for connection-level failures and per-attempt timeouts. A cancellation the caller asked for is never
    /// transient.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException => !callerToken.IsCancellationRequested,
        HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException } => false,
        HttpRequestException => true,
        SocketException => true,
        IOException => true,
        _ => false,
    };

    /// <summary>
    /// The delay after failed attempt <paramref name="attempt"/> (1-based): InitialDelay·2^(attempt-1), capped at
    /// MaxDelay, scaled into [50%, 100%] by jitter so clients that failed together do not retry together. A
    /// server's Retry-After raises the delay, still capped at MaxDelay so the total wait stays bounded.
    /// </summary>
    public TimeSpan DelayFor(int attempt, TimeSpan? retryAfter = null)
    {
        var exponential = InitialDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, MaxDelay.Ticks);
        var jittered = capped * (0.5 + (0.5 * _jitter()));
        var delay = TimeSpan.FromTicks((long)jittered);
        if (retryAfter is { } after && after > delay)
        {
            delay = after < MaxDelay ? after : MaxDelay;
        }

        return delay;
    }

    /// <summary>Waits <see cref="DelayFor"/> on the policy's clock.</summary>
    public Task DelayAsync(int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var delay = DelayFor(attempt, retryAfter);
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _timeProvider, cancellationToken);
    }
}
