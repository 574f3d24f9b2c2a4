namespace Conductor.Bench.Federation;

/// <summary>Collections and pause time the GC spent, to tell allocation cost from the work itself.</summary>
internal readonly record struct GcWork(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long AllocatedBytes)
{
    public static GcWork Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(),
        GC.GetTotalAllocatedBytes(precise: false));

    public static GcWork operator -(GcWork after, GcWork before) => new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1,
        after.Gen2 - before.Gen2, after.Paused - before.Paused, after.AllocatedBytes - before.AllocatedBytes);

    public override string ToString() =>
        $"{Gen0}/{Gen1}/{Gen2} collections (gen0/1/2), {Paused.TotalMilliseconds:F0} ms paused, {AllocatedBytes / 1048576.0:F0} MB allocated";
}
