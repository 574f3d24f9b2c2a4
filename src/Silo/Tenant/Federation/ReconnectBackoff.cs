namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// Exponential reconnect delays with jitter: attempt n waits a random time between half and all of
/// min(max, initial × 2ⁿ), so a fleet of tenants that lost management at once does not return in lockstep.
/// After a live stream is lost the first <see cref="SteadyAttemptsAfterLiveStream"/> delays stay at <c>initial</c>
/// before doubling: a killed management silo's tenants reach a survivor before the cluster has declared the silo dead
/// (~3–5 s), and each refused attempt there fails fast; doubling through that window put the attempt that would
/// succeed past the 10 s failover target (bench/Conductor.Bench.Failover).
/// </summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    /// <summary>Delays that stay at <c>initial</c> after a live stream was lost (8 × ≤ 0.5 s by default).</summary>
    public const int SteadyAttemptsAfterLiveStream = 8;

    private int _attempt;
    private int _steady;

    public TimeSpan Next()
    {
        var exponent = Math.Max(0, _attempt - _steady);
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(exponent, 30)));
        _attempt++;
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + random.NextDouble() * 0.5));
    }

    /// <summary>A session was established: the next failure starts from <c>initial</c> again.</summary>
    public void Reset() => (_attempt, _steady) = (0, 0);

    /// <summary>
    /// The delay after a stream ended. One that was live (heard from management) starts from <c>initial</c> again and
    /// stays there for <see cref="SteadyAttemptsAfterLiveStream"/> attempts: failures before it, such as dialling while
    /// management was still starting, must not stretch the redial after a silo crash (a tenant that escalated to the
    /// cap at start-up would otherwise wait up to a minute).
    /// </summary>
    public TimeSpan NextAfter(bool wasLive)
    {
        if (wasLive)
        {
            // Attempts 0..steady-1 use exponent 0; the one after doubles.
            (_attempt, _steady) = (0, SteadyAttemptsAfterLiveStream - 1);
        }

        return Next();
    }
}
