namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// Exponential reconnect delays with jitter: attempt n waits a random time between half and all of
/// min(max, initial × 2ⁿ), so a fleet of tenants that lost management at once does not return in lockstep.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + random.NextDouble() * 0.5));
    }

    /// <summary>A session was established: the next failure starts from <c>initial</c> again.</summary>
    public void Reset() => _attempt = 0;

    /// <summary>
    /// The delay after a stream ended. One that was live (heard from management) starts from <c>initial</c> again:
    /// failures before it, such as dialling while management was still starting, must not stretch the redial after a
    /// silo crash (a tenant that escalated to the cap at start-up would otherwise wait up to a minute).
    /// </summary>
    public TimeSpan NextAfter(bool wasLive)
    {
        if (wasLive)
        {
            Reset();
        }

        return Next();
    }
}
