using System.Diagnostics;
using Conductor.Silo.Tenant.Federation;

namespace Conductor.Bench.Failover;

/// <summary>
/// What every tenant saw from the moment a silo was stopped (killed or drained): whether its stream was cut, when a
/// new stream was live (heard from management), and when the first audit ack after that moment came. Sampled every
/// few milliseconds against each tenant's <see cref="FederationChannelState"/> and WAL, until every tenant resumed.
/// </summary>
public sealed class FailoverObservation
{
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(5);

    private FailoverObservation(List<TenantOutcome> outcomes) => Outcomes = outcomes;

    public IReadOnlyList<TenantOutcome> Outcomes { get; }

    /// <summary>Tenants whose stream the stop cut.</summary>
    public IEnumerable<TenantOutcome> Moved => Outcomes.Where(o => o.Cut);

    /// <summary>
    /// Watches <paramref name="tenants"/> from <paramref name="stop"/> (the stop itself) until every tenant has a live
    /// stream and an ack after the stop, or <paramref name="cap"/>.
    /// </summary>
    public static async Task<FailoverObservation> WatchAsync(IReadOnlyList<BenchTenant> tenants, Action stop, TimeSpan cap)
    {
        var before = tenants.Select(t => (Session: t.Channel.Live, Acked: t.Wal.AckedSequence)).ToArray();
        var seen = before.Select(b => b.Session).ToArray();
        var outcomes = tenants.Select(t => new TenantOutcome(t.ClusterId)).ToList();
        var clock = Stopwatch.StartNew();
        stop();
        while (clock.Elapsed < cap)
        {
            var now = clock.Elapsed.TotalMilliseconds;
            var done = true;
            for (var i = 0; i < tenants.Count; i++)
            {
                var (outcome, channel) = (outcomes[i], tenants[i].Channel);
                var live = channel.Live;
                if (!ReferenceEquals(live, before[i].Session))
                {
                    outcome.Cut = true;
                    if (live is not null)
                    {
                        outcome.ReconnectedMs ??= now;
                    }

                    if (live is not null && !ReferenceEquals(live, seen[i]))
                    {
                        outcome.NewSessions++;
                    }

                    seen[i] = live;
                }

                // A moved tenant resumes on its new stream; one whose stream survived resumes at its next ack.
                if (outcome.ResumedMs is null && (!outcome.Cut || outcome.ReconnectedMs is not null) && tenants[i].Wal.AckedSequence > before[i].Acked)
                {
                    outcome.ResumedMs = now;
                }

                done &= outcome.ResumedMs is not null && (!outcome.Cut || outcome.ReconnectedMs is not null);
            }

            if (done)
            {
                break;
            }

            await Task.Delay(Sample);
        }

        return new FailoverObservation(outcomes);
    }
}

/// <summary>One tenant's view of a stop, in milliseconds from the stop.</summary>
public sealed class TenantOutcome(string clusterId)
{
    public string ClusterId { get; } = clusterId;

    /// <summary>Its stream was on the stopped silo (the session it had was lost).</summary>
    public bool Cut { get; set; }

    public double? ReconnectedMs { get; set; }

    public double? ResumedMs { get; set; }

    /// <summary>Streams it had live after the stop; more than one means a new stream was lost again.</summary>
    public int NewSessions { get; set; }
}
