using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Conductor.Bench.Federation;

/// <summary>
/// What each collection kept alive: the runtime's GC events (GCStart, GCHeapStats) per collection index, so a run
/// can report how many bytes its young collections promoted (the copying work that makes up most of a young pause).
/// Events reach a listener asynchronously, so <see cref="Between"/> waits briefly for the last collection's stats.
/// </summary>
internal sealed class GcPromotions : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;

    private readonly ConcurrentDictionary<long, Collection> _collections = new();
    private long _current = -1;

    /// <summary>Promotions of the collections numbered [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<Summary> Between(long from, long to)
    {
        using var cap = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        while (to > from && !_collections.TryGetValue(to - 1, out _) && !cap.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        var summary = new Summary(0, 0, 0);
        for (var i = from; i < to; i++)
        {
            if (_collections.TryGetValue(i, out var c))
            {
                summary = new Summary(summary.Seen + 1, summary.PromotedFromGen0 + c.PromotedFromGen0, summary.PromotedFromGen1 + c.PromotedFromGen1);
            }
        }

        return summary;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        switch (eventData.EventName)
        {
            case "GCStart_V2" when eventData.Payload is { } start:
                // The runtime's count starts at 1 for the first collection; GC.CollectionCount(0) before it is 0.
                Volatile.Write(ref _current, Convert.ToInt64(start[eventData.PayloadNames!.IndexOf("Count")], System.Globalization.CultureInfo.InvariantCulture) - 1);
                break;
            case "GCHeapStats_V2" when eventData.Payload is { } stats && Volatile.Read(ref _current) is var index and >= 0:
                long Field(string name) => Convert.ToInt64(stats[eventData.PayloadNames!.IndexOf(name)], System.Globalization.CultureInfo.InvariantCulture);
                _collections[index] = new Collection(Field("TotalPromotedSize0"), Field("TotalPromotedSize1"));
                break;
        }
    }

    private readonly record struct Collection(long PromotedFromGen0, long PromotedFromGen1);

    internal readonly record struct Summary(int Seen, long PromotedFromGen0, long PromotedFromGen1)
    {
        public override string ToString() =>
            $"promoted {PromotedFromGen0 / 1048576.0:F1} MB out of gen0, {PromotedFromGen1 / 1048576.0:F1} MB out of gen1 ({Seen} collections' stats)";
    }
}
