using System.Diagnostics;

namespace Conductor.Bench.Federation;

/// <summary>This process's memory at one point: the managed heap's live bytes, the working set, the GC's committed bytes.</summary>
internal readonly record struct MemorySnapshot(long Managed, long WorkingSet, long Committed);

/// <summary>
/// Two reads of this process's memory, taken the same way for management and for the echo baseline:
/// <see cref="Forced"/> after forced blocking, compacting gen-2 collections (what every session before 8 reported: it
/// still counts the committed-but-free memory server GC keeps as allocation budget, its slack), and
/// <see cref="Held"/> right after that, after one <see cref="GCCollectionMode.Aggressive"/> collection, which also
/// decommits as much free memory as it can (free regions, the gen-0 budget): what the process holds for its objects.
/// </summary>
internal readonly record struct MemoryReading(MemorySnapshot Forced, MemorySnapshot Held)
{
    public static async Task<MemoryReading> TakeAsync()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var forced = await SnapshotAsync(GC.GetTotalMemory(forceFullCollection: true));
        // Aggressive must be blocking and compacting (the runtime throws otherwise).
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var held = await SnapshotAsync(GC.GetTotalMemory(forceFullCollection: false));
        return new MemoryReading(forced, held);
    }

    /// <summary>Memory grown from <paramref name="before"/> to this reading per connected tenant, both forms.</summary>
    public string PerTenant(MemoryReading before, int tenants) =>
        $"held (after an aggressive collection): managed heap {KilobytesPerTenant(before.Held.Managed, Held.Managed, tenants):F1} KB, " +
        $"working set {KilobytesPerTenant(before.Held.WorkingSet, Held.WorkingSet, tenants):F1} KB, GC-committed {KilobytesPerTenant(before.Held.Committed, Held.Committed, tenants):F1} KB; " +
        $"with the GC's slack (after forced collections): managed heap {KilobytesPerTenant(before.Forced.Managed, Forced.Managed, tenants):F1} KB, " +
        $"working set {KilobytesPerTenant(before.Forced.WorkingSet, Forced.WorkingSet, tenants):F1} KB, GC-committed {KilobytesPerTenant(before.Forced.Committed, Forced.Committed, tenants):F1} KB";

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

        return new MemorySnapshot(managed, workingSet, GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes);
    }

    private static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
