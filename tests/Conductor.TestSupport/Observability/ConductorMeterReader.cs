using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Conductor.Observability;

namespace Conductor.TestSupport.Observability;

/// <summary>
/// Reads Conductor's observable instruments the way an exporter does, through a <see cref="MeterListener"/>,
/// confined to the meters of one meter factory (one silo's or host's), so other hosts in the test process do not count.
/// </summary>
public sealed class ConductorMeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> _observed = new();

    /// <summary>Conductor's meter created by <paramref name="factory"/> (its scope).</summary>
    public ConductorMeterReader(IMeterFactory factory)
        : this(meter => meter.Name == ConductorMetrics.MeterName && ReferenceEquals(meter.Scope, factory))
    {
    }

    /// <summary>Exactly <paramref name="meter"/>, for a meter made outside a host's factory.</summary>
    public ConductorMeterReader(Meter meter)
        : this(candidate => ReferenceEquals(candidate, meter))
    {
    }

    private ConductorMeterReader(Func<Meter, bool> select)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (select(instrument.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _observed.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>The instrument's value now (the last one reported, when it reports several tag sets).</summary>
    public long Read(string instrument) =>
        Observe(instrument) is { Count: > 0 } values
            ? values[^1].Value
            : throw new InvalidOperationException($"Instrument {instrument} of meter {ConductorMetrics.MeterName} was not published by this silo");

    /// <summary>The instrument's values now, keyed by the value of <paramref name="tag"/>.</summary>
    public Dictionary<string, long> ReadByTag(string instrument, string tag)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (_, value, tags) in Observe(instrument))
        {
            foreach (var pair in tags.Where(t => t.Key == tag))
            {
                counts[(string)pair.Value!] = value;
            }
        }

        return counts;
    }

    public void Dispose() => _listener.Dispose();

    private List<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> Observe(string instrument)
    {
        _observed.Clear();
        _listener.RecordObservableInstruments();
        return [.. _observed.Where(m => m.Instrument == instrument)];
    }
}
