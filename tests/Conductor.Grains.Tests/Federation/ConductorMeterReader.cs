using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Conductor.Observability;

namespace Conductor.Grains.Tests.Federation;

/// <summary>
/// Reads Conductor's observable instruments the way an exporter does, through a <see cref="MeterListener"/>,
/// confined to the meters of one meter factory (one silo's), so other hosts in the test process do not count.
/// </summary>
internal sealed class ConductorMeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);

    public ConductorMeterReader(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ConductorMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _values[instrument.Name] = value);
        _listener.Start();
    }

    /// <summary>The instrument's value now.</summary>
    public long Read(string instrument)
    {
        _values.Clear();
        _listener.RecordObservableInstruments();
        return _values.TryGetValue(instrument, out var value)
            ? value
            : throw new InvalidOperationException($"Instrument {instrument} of meter {ConductorMetrics.MeterName} was not published by this silo");
    }

    public void Dispose() => _listener.Dispose();
}
