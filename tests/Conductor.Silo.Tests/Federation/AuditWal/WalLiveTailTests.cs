using System.Text;
using Conductor.Silo.Federation.AuditWal;

namespace Conductor.Silo.Tests.Federation.AuditWal;

public sealed class WalLiveTailTests
{
    [Fact]
    public void TryTake_FromTheMiddle_ReturnsFromThereInOrderUpToMax()
    {
        var tail = Tail(next: 1, records: 8);
        AddRange(tail, 1, 6);

        var taken = new List<AuditWalRecord>();
        Assert.True(tail.TryTake(3, 2, taken));

        Assert.Equal([(3UL, "r3"), (4UL, "r4")], Read(taken));
    }

    [Fact]
    public void Add_PastCapacity_WrapsAroundKeepingTheNewest()
    {
        var tail = Tail(next: 1, records: 4);
        AddRange(tail, 1, 11);

        var taken = new List<AuditWalRecord>();
        Assert.True(tail.TryTake(8, 100, taken));

        Assert.Equal([(8UL, "r8"), (9UL, "r9"), (10UL, "r10"), (11UL, "r11")], Read(taken));
        Assert.Equal(4, tail.Count);
    }

    [Fact]
    public void Add_BeyondTheInitialRing_GrowsAndKeepsEveryRecord()
    {
        var tail = Tail(next: 1, records: 5000);
        AddRange(tail, 1, 5000);

        var taken = new List<AuditWalRecord>();
        Assert.True(tail.TryTake(1, 10_000, taken));

        Assert.Equal(Enumerable.Range(1, 5000).Select(i => (ulong)i), taken.Select(r => r.Sequence));
        Assert.Equal("r4321", Encoding.UTF8.GetString(taken[4320].Payload.Span));
    }

    [Fact]
    public void TryTake_SequenceThatFellOut_False()
    {
        var tail = Tail(next: 1, records: 4);
        AddRange(tail, 1, 6);

        var taken = new List<AuditWalRecord>();
        Assert.False(tail.TryTake(2, 100, taken));
        Assert.Empty(taken);
        Assert.True(tail.TryTake(3, 100, taken));
    }

    [Fact]
    public void Add_PastTheByteCap_OldestFallOut()
    {
        var tail = new WalLiveTail(1, 0, maxRecords: 100, maxBytes: 10);
        AddRange(tail, 1, 5); // "r1".."r5": 2 bytes each

        Add(tail, 6, "r6");

        var taken = new List<AuditWalRecord>();
        Assert.False(tail.TryTake(1, 100, taken));
        Assert.True(tail.TryTake(2, 100, taken));
        Assert.Equal([2UL, 3UL, 4UL, 5UL, 6UL], taken.Select(r => r.Sequence));
    }

    [Fact]
    public void Trim_AcknowledgedRecordsLeaveAndAskingFromBeforeStartsAfterTheAck()
    {
        var tail = Tail(next: 1, records: 8);
        AddRange(tail, 1, 6);

        tail.Trim(4);

        Assert.Equal(2, tail.Count);
        var taken = new List<AuditWalRecord>();
        Assert.True(tail.TryTake(2, 100, taken)); // 2..4 are acknowledged: nothing to send of them
        Assert.Equal([5UL, 6UL], taken.Select(r => r.Sequence));
    }

    [Fact]
    public void Trim_EverythingAcknowledged_EmptyThenTakesNewRecords()
    {
        var tail = Tail(next: 1, records: 8);
        AddRange(tail, 1, 3);

        tail.Trim(3);
        var taken = new List<AuditWalRecord>();
        Assert.True(tail.TryTake(4, 100, taken));
        Assert.Empty(taken);

        Add(tail, 4, "r4");
        Assert.True(tail.TryTake(4, 100, taken));
        Assert.Equal([(4UL, "r4")], Read(taken));
    }

    [Fact]
    public void TryTake_PastTheNewest_TrueAndNothing()
    {
        var tail = Tail(next: 1, records: 8);
        AddRange(tail, 1, 3);

        var taken = new List<AuditWalRecord>();
        Assert.True(tail.TryTake(4, 100, taken));
        Assert.Empty(taken);
        Assert.False(tail.TryTake(5, 100, taken));
    }

    [Fact]
    public void TryTake_OpenedWithUnacknowledgedRecordsOnFile_FalseForThemTrueAfterThem()
    {
        var tail = new WalLiveTail(nextSequence: 11, ackedSequence: 4, maxRecords: 8, maxBytes: 1024);

        var taken = new List<AuditWalRecord>();
        Assert.False(tail.TryTake(1, 100, taken)); // 5..10 are only on file
        Assert.True(tail.TryTake(11, 100, taken));
        Assert.Empty(taken);
    }

    [Fact]
    public void Add_AfterAGap_StartsOverFromTheNewRecord()
    {
        var tail = Tail(next: 1, records: 8);
        AddRange(tail, 1, 3);

        Add(tail, 7, "r7");

        var taken = new List<AuditWalRecord>();
        Assert.False(tail.TryTake(3, 100, taken));
        Assert.True(tail.TryTake(7, 100, taken));
        Assert.Equal([(7UL, "r7")], Read(taken));
        Assert.Equal(1, tail.Count);
    }

    private static WalLiveTail Tail(ulong next, int records) => new(next, next - 1, records, maxBytes: 1 << 20);

    private static void AddRange(WalLiveTail tail, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            Add(tail, (ulong)i, $"r{i}");
        }
    }

    private static void Add(WalLiveTail tail, ulong sequence, string payload) => tail.Add(sequence, Encoding.UTF8.GetBytes(payload));

    private static List<(ulong, string)> Read(List<AuditWalRecord> records) =>
        [.. records.Select(r => (r.Sequence, Encoding.UTF8.GetString(r.Payload.Span)))];
}
