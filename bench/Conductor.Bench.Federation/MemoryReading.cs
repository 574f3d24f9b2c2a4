using System.Diagnostics;

namespace Conductor.Bench.Federation;

/// <summary>This process's memory at one point: the managed heap's live bytes, the working set, the GC's committed bytes.</summary>
internal readonly record struct MemorySnapshot(long Managed, long WorkingSet, long Committed, long Anonymous, long FileBacked);

/// <summary>
/// Two reads of this process's memory, taken the same way for management and for the echo baseline:
/// <see cref="Forced"/> after forced blocking, compacting gen-2 collections (what every session before 8 reported: it
/// still counts the committed-but-free memory server GC keeps as allocation budget, its slack), and
/// <see cref="Held"/> right after that, after <see cref="GCCollectionMode.Aggressive"/> collections (they also decommit
/// as much free memory as they can: free regions, the gen-0 budget), the lowest of three: what the process holds for
/// its objects and native state.
/// </summary>
internal readonly record struct MemoryReading(MemorySnapshot Forced, MemorySnapshot Held)
{
    public static async Task<MemoryReading> TakeAsync()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var forced = await SnapshotAsync(GC.GetTotalMemory(forceFullCollection: true));
        // Aggressive must be blocking and compacting (the runtime throws otherwise). Its decommit is done when it returns,
        // so the working set is read at once: the fleet keeps allocating (heartbeats), and within the half second the
        // forced read waits, server GC commits its gen-0 budget again. Three rounds a second apart; the lowest is kept.
        MemorySnapshot? held = null;
        const int Rounds = 3;
        for (var round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                await Task.Delay(1000);
            }

            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            // Live bytes as that collection left them. GC.GetTotalMemory(false) here read below zero in a fresh process
            // (it takes off the allocation contexts' unused space), which put ~2 KB per tenant on the echo's figure.
            var collected = GC.GetGCMemoryInfo(GCKind.Any);
            var next = Snapshot(collected.HeapSizeBytes - collected.FragmentedBytes, WorkingSet());
            held = held is { } lowest && lowest.WorkingSet <= next.WorkingSet ? lowest : next;
        }

        return new MemoryReading(forced, held!.Value);
    }

    /// <summary>Memory grown from <paramref name="before"/> to this reading per connected tenant, both forms.</summary>
    public string PerTenant(MemoryReading before, int tenants) =>
        $"held (after aggressive collections): managed heap {KilobytesPerTenant(before.Held.Managed, Held.Managed, tenants):F1} KB, " +
        $"working set {KilobytesPerTenant(before.Held.WorkingSet, Held.WorkingSet, tenants):F1} KB, GC-committed {KilobytesPerTenant(before.Held.Committed, Held.Committed, tenants):F1} KB; " +
        $"with the GC's slack (after forced collections): managed heap {KilobytesPerTenant(before.Forced.Managed, Forced.Managed, tenants):F1} KB, " +
        $"working set {KilobytesPerTenant(before.Forced.WorkingSet, Forced.WorkingSet, tenants):F1} KB, GC-committed {KilobytesPerTenant(before.Forced.Committed, Forced.Committed, tenants):F1} KB";

    /// <summary>The absolute reads (MB), so a per-tenant figure can be traced to what moved.</summary>
    public string Absolute(MemoryReading before) =>
        $"before/after MB: held managed {Mb(before.Held.Managed)}/{Mb(Held.Managed)}, working set {Mb(before.Held.WorkingSet)}/{Mb(Held.WorkingSet)}, " +
        $"committed {Mb(before.Held.Committed)}/{Mb(Held.Committed)}, anonymous {Mb(before.Held.Anonymous)}/{Mb(Held.Anonymous)}, " +
        $"file-backed {Mb(before.Held.FileBacked)}/{Mb(Held.FileBacked)}; forced managed {Mb(before.Forced.Managed)}/{Mb(Forced.Managed)}, " +
        $"working set {Mb(before.Forced.WorkingSet)}/{Mb(Forced.WorkingSet)}, committed {Mb(before.Forced.Committed)}/{Mb(Forced.Committed)}, " +
        $"anonymous {Mb(before.Forced.Anonymous)}/{Mb(Forced.Anonymous)}, file-backed {Mb(before.Forced.FileBacked)}/{Mb(Forced.FileBacked)}";

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

    public static double KilobytesPerTenant(long before, long after, int tenants) => (after - before) / tenants / 1024.0;

    private static async Task<MemorySnapshot> SnapshotAsync(long managed)
    {
        // Server GC (what the agent ships) gives freed regions back to the OS gradually after a collection, so a working
        // set read at once still counts whatever the previous phase (the audit burst) left committed. Read it once it
        // settles: two reads 500 ms apart within 1%, at most 15 s.
        var workingSet = WorkingSet();
        for (var i = 0; i < 30; i++)
        {
            await Task.Delay(500);
            var next = WorkingSet();
            var settled = Math.Abs(next - workingSet) < workingSet / 100;
            workingSet = next;
            if (settled)
            {
                break;
            }
        }

        return Snapshot(managed, workingSet);
    }

    private static MemorySnapshot Snapshot(long managed, long workingSet)
    {
        var (anonymous, fileBacked) = ResidentSplit();
        return new MemorySnapshot(managed, workingSet, GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes, anonymous, fileBacked);
    }

    // The working set split (Linux): private anonymous pages (heaps, stacks, native allocations) and file-backed pages
    // (the mapped assemblies and native libraries, touched as code runs). 0 where /proc is not there.
    private static (long Anonymous, long FileBacked) ResidentSplit()
    {
        if (!File.Exists("/proc/self/status"))
        {
            return (0, 0);
        }

        long anonymous = 0, fileBacked = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                fileBacked = Kilobytes(line) * 1024;
            }
        }

        return (anonymous, fileBacked);

        static long Kilobytes(string line) =>
            long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
