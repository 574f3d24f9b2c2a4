using Conductor.Silo.Federation.AuditWal;

namespace Conductor.Bench.Federation;

/// <summary>
/// What the tenant's WAL did over a run: group commits (one fsync each), acknowledgements persisted (one write of
/// the acked file each), and how the sender got the records: read back from the segment files or taken from the
/// in-memory tail.
/// </summary>
public readonly record struct WalCounters(long Commits, long Acks, long ReadFromFile, long TakenLive)
{
    public static WalCounters Of(AuditWal wal) => new(wal.Commits, wal.AcksPersisted, wal.RecordsReadFromFile, wal.RecordsTakenLive);

    public static WalCounters operator -(WalCounters after, WalCounters before) => new(after.Commits - before.Commits,
        after.Acks - before.Acks, after.ReadFromFile - before.ReadFromFile, after.TakenLive - before.TakenLive);

    public string Describe(int events) =>
        $"{Commits:N0} WAL group commits ({(double)events / Math.Max(1, Commits):F1} events each), " +
        $"{Acks:N0} acks persisted ({(double)events / Math.Max(1, Acks):F0} events each), " +
        $"records sent {ReadFromFile:N0} read back from file / {TakenLive:N0} taken from the live tail";
}
