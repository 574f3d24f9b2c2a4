using System.Diagnostics;
using Conductor.Silo.Tenant.Federation;

namespace Conductor.Bench.Failover;

/// <summary>
/// What every tenant saw from the moment a silo was stopped (killed or drained): whether its stream was cut, when a
/// new stream was live (heard from management), when the first audit ack on that stream came, and the longest time
/// without an ack. Sampled every few milliseconds against each tenant's <see cref="FederationChannelState"/> and WAL,
/// for at least <c>window</c> (longer than membership's detection, so a stall behind a dead silo's grain shows)
/// and until every tenant whose stream was cut has resumed.
/// </summary>
public sealed class FailoverObservation
{
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(5);

    private FailoverObservation(List<TenantOutcome> outcomes) => Outcomes = outcomes;

    public IReadOnlyList<TenantOutcome> Outcomes { get; }

    /// <summary>Tenants whose stream the stop cut.</summary>
    public IEnumerable<TenantOutcome> Moved => Outcomes.Where(o => o.Cut);

    /// <summary>
    /// Samples on a thread of its own: on a loaded machine the thread pool the tenants run on can stall for seconds,
    /// and a sampler queued behind them would add that stall to every figure.
    /// </summary>
    public static Task<FailoverObservation> WatchAsync(IReadOnlyList<BenchTenant> tenants, Action stop, TimeSpan window, TimeSpan cap) =>
        Task.Factory.StartNew(() => Watch(tenants, stop, window, cap), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static FailoverObservation Watch(IReadOnlyList<BenchTenant> tenants, Action stop, TimeSpan window, TimeSpan cap)
    {
        var sessions = tenants.Select(t => t.Channel.Live).ToArray();
        var acked = tenants.Select(t => t.Wal.AckedSequence).ToArray();
        var outcomes = tenants.Select(t => new TenantOutcome(t.ClusterId)).ToList();
        var lastAckMs = new double[tenants.Count];
        var clock = Stopwatch.StartNew();
        stop();
        while (clock.Elapsed < cap)
        {
            var now = clock.Elapsed.TotalMilliseconds;
            var done = true;
            for (var i = 0; i < tenants.Count; i++)
            {
                var outcome = outcomes[i];
                var live = tenants[i].Channel.Live;
                if (!ReferenceEquals(live, sessions[i]))
                {
                    // The stream changed: cut (null), or a new one heard from management.
                    outcome.Cut = true;
                    sessions[i] = live;
                    if (live is not null)
                    {
                        outcome.ReconnectedMs ??= now;
                        outcome.NewSessions++;
                        acked[i] = tenants[i].Wal.AckedSequence;
                    }
                }

                var current = tenants[i].Wal.AckedSequence;
                if (current > acked[i])
                {
                    acked[i] = current;
                    outcome.LongestWithoutAckMs = Math.Max(outcome.LongestWithoutAckMs, now - lastAckMs[i]);
                    lastAckMs[i] = now;
                    if (outcome.ReconnectedMs is not null)
                    {
                        // The first ack on the new stream: audit resumed.
                        outcome.ResumedMs ??= now;
                    }
                }

                done &= !outcome.Cut || outcome.ResumedMs is not null;
            }

            if (done && clock.Elapsed >= window)
            {
                for (var i = 0; i < tenants.Count; i++)
                {
                    // A tenant still waiting for its next ack has waited this long so far.
                    outcomes[i].LongestWithoutAckMs = Math.Max(outcomes[i].LongestWithoutAckMs, now - lastAckMs[i]);
                }

                break;
            }

            Thread.Sleep(Sample);
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

    /// <summary>The longest time without an ack advance, counted from the stop.</summary>
    public double LongestWithoutAckMs { get; set; }

    /// <summary>Streams it had live after the stop; more than one means a new stream was lost again.</summary>
    public int NewSessions { get; set; }
}
