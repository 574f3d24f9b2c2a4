using System.Text;
using Conductor.Silo.Federation.AuditWal;
using Conductor.TestSupport.Logging;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tests.Federation.AuditWal;

/// <summary>
/// Appends that arrive together share one <see cref="AppendGroup"/> (one awaitable source per group, the member
/// index as the token): every caller still gets its own sequence, in call order, and the WAL's guarantees hold
/// member by member (cancellation only before the write, no gap, back-pressure, failure on close).
/// </summary>
public sealed class AuditWalGroupedAppendTests : IAsyncDisposable
{
    private const int RecordBytes = 116; // a 100-byte payload plus the record header
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    private readonly string _dir = Directory.CreateTempSubdirectory("conductor-wal-group-").FullName;
    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<Silo.Federation.AuditWal.AuditWal> _open = [];

    [Fact]
    public async Task AppendOwnedAsync_BurstOverSeveralFullGroups_EachCallerGetsTheSequenceOfItsPayloadInCallOrder()
    {
        var wal = Open();
        const int Burst = (3 * AppendGroup.MaxMembers) + 17;
        var pending = new ValueTask<ulong>[Burst];
        for (var i = 0; i < Burst; i++)
        {
#pragma warning disable CA2012 // each is awaited exactly once below
            pending[i] = wal.AppendOwnedAsync(Bytes($"event-{i}"), Ct);
#pragma warning restore CA2012
        }

        var sequences = new List<ulong>();
        foreach (var append in pending)
        {
            sequences.Add(await append.AsTask().WaitAsync(Cap, Ct));
        }

        Assert.Equal(Enumerable.Range(1, Burst).Select(i => (ulong)i), sequences);
        var records = await ReadAllAsync(wal);
        Assert.Equal(Enumerable.Range(0, Burst).Select(i => ((ulong)i + 1, $"event-{i}")), records);
    }

    [Fact]
    public async Task AppendOwnedAsync_ConcurrentProducersAwaitingEachAppend_SequencesUniqueContiguousAndMatchTheirPayloads()
    {
        var wal = Open();
        const int Producers = 16;
        const int PerProducer = 200;
        var results = await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            var mine = new List<(ulong Sequence, string Payload)>();
            for (var i = 0; i < PerProducer; i++)
            {
                var payload = $"p{p}-{i}";
                mine.Add((await wal.AppendOwnedAsync(Bytes(payload), Ct), payload));
            }

            return mine;
        }, Ct)));

        var all = results.SelectMany(r => r).OrderBy(r => r.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, Producers * PerProducer).Select(i => (ulong)i), all.Select(r => r.Sequence));
        Assert.All(results, mine => Assert.Equal(mine.Select(r => r.Sequence).Order(), mine.Select(r => r.Sequence))); // each producer's own order
        Assert.Equal(all, await ReadAllAsync(wal));
    }

    [Fact]
    public async Task AppendOwnedAsync_MemberCancelledWhileItsGroupWaitsForRoom_ThrowsAndTheOthersGetConsecutiveSequences()
    {
        var wal = Open(maxBytes: 4096, segmentBytes: 1024);
        await FillAsync(wal);
        var head = wal.AppendOwnedAsync(new byte[100], Ct).AsTask(); // the writer waits for room with this one
        await WaitUntilFullAsync(wal);

        // The writer is parked on the head's group, so these three join one new group, unsealed until it is reached.
        using var cancel = new CancellationTokenSource();
        var first = wal.AppendOwnedAsync(Payload('a'), Ct).AsTask();
        var cancelled = wal.AppendOwnedAsync(Payload('b'), cancel.Token).AsTask();
        var last = wal.AppendOwnedAsync(Payload('c'), Ct).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Cap, Ct));
        Assert.False(head.IsCompleted);

        await wal.AckAsync(wal.LastSequence, Ct);

        var headSequence = await head.WaitAsync(Cap, Ct);
        Assert.Equal(headSequence + 1, await first.WaitAsync(Cap, Ct));
        Assert.Equal(headSequence + 2, await last.WaitAsync(Cap, Ct));
        var tail = (await ReadAllAsync(wal, headSequence + 1)).Select(r => r.Payload[0]);
        Assert.Equal(['a', 'c'], tail);
    }

    [Fact]
    public async Task AppendOwnedAsync_FirstMemberOfWaitingGroupCancelled_WriterMovesOnToTheNextMemberWithoutAGap()
    {
        var wal = Open(maxBytes: 4096, segmentBytes: 1024);
        await FillAsync(wal);
        using var cancel = new CancellationTokenSource();
        var cancelled = wal.AppendOwnedAsync(Payload('x'), cancel.Token).AsTask(); // the head: the writer waits on it
        var behind = wal.AppendOwnedAsync(Payload('y'), Ct).AsTask(); // may share its group
        await WaitUntilFullAsync(wal);
        var lastBefore = wal.LastSequence;

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Cap, Ct));
        await wal.AckAsync(lastBefore, Ct);

        Assert.Equal(lastBefore + 1, await behind.WaitAsync(Cap, Ct));
        Assert.Equal([(lastBefore + 1, new string('y', 100))], await ReadAllAsync(wal, lastBefore + 1));
    }

    [Fact]
    public async Task DisposeAsync_GroupWaitingForRoom_EveryMemberFailsWithObjectDisposed()
    {
        var wal = Open(maxBytes: 4096, segmentBytes: 1024);
        await FillAsync(wal);
        var waiting = Enumerable.Range(0, 5).Select(_ => wal.AppendOwnedAsync(new byte[100], Ct).AsTask()).ToList();
        await WaitUntilFullAsync(wal);

        await CloseAsync(wal);

        foreach (var append in waiting)
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => append.WaitAsync(Cap, Ct));
        }
    }

    [Fact]
    public void TryAdd_FullOrSealed_RefusesAndLeavesTheMembersAsTheyWere()
    {
        var group = new AppendGroup(2);
        Assert.True(group.TryAdd(Bytes("one"), CancellationToken.None, out _));
        group.Seal();
        Assert.False(group.TryAdd(Bytes("two"), CancellationToken.None, out _));

        var full = new AppendGroup(1);
        Assert.True(full.TryAdd(Bytes("one"), CancellationToken.None, out _));
        Assert.False(full.TryAdd(Bytes("two"), CancellationToken.None, out _));

        Assert.Equal((1, 1), (group.Count, full.Count));
        Assert.Equal("one", Encoding.UTF8.GetString(group.Payload(0).Span));
    }

    [Fact]
    public async Task Complete_EachMember_ResolvesOnlyItsOwnAwaitable()
    {
        var group = new AppendGroup(3);
        group.TryAdd(Bytes("a"), CancellationToken.None, out var a);
        group.TryAdd(Bytes("b"), CancellationToken.None, out var b);
        group.TryAdd(Bytes("c"), CancellationToken.None, out var c);
        var (ta, tb, tc) = (a.AsTask(), b.AsTask(), c.AsTask());
        Assert.True(group.TryClaim(0) && group.TryClaim(1) && group.TryClaim(2));

        group.Complete(1, 41);

        Assert.Equal(41UL, await tb.WaitAsync(Cap, Ct));
        Assert.False(ta.IsCompleted || tc.IsCompleted);
        group.Fail(0, new IOException("disk gone"));
        group.Complete(2, 42);
        Assert.Equal("disk gone", (await Assert.ThrowsAsync<IOException>(() => ta.WaitAsync(Cap, Ct))).Message);
        Assert.Equal(42UL, await tc.WaitAsync(Cap, Ct));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var wal in _open)
        {
            await wal.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Payload(char fill) => Bytes(new string(fill, 100));

    private static async Task FillAsync(Silo.Federation.AuditWal.AuditWal wal)
    {
        while (wal.BytesOnDisk + RecordBytes <= 4096)
        {
            await wal.AppendAsync(new byte[100], Ct);
        }
    }

    private static async Task WaitUntilFullAsync(Silo.Federation.AuditWal.AuditWal wal)
    {
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        wal.FullChanged += (_, _) =>
        {
            if (wal.IsFull)
            {
                full.TrySetResult();
            }
        };
        if (!wal.IsFull)
        {
            await full.Task.WaitAsync(Cap, Ct);
        }
    }

    private static async Task<List<(ulong Sequence, string Payload)>> ReadAllAsync(Silo.Federation.AuditWal.AuditWal wal, ulong from = 0)
    {
        var records = new List<(ulong, string)>();
        await foreach (var record in wal.ReadAsync(from, Ct))
        {
            records.Add((record.Sequence, Encoding.UTF8.GetString(record.Payload.Span)));
        }

        return records;
    }

    private Silo.Federation.AuditWal.AuditWal Open(long maxBytes = AuditWalOptions.DefaultMaxBytes, long segmentBytes = 0)
    {
        var wal = Silo.Federation.AuditWal.AuditWal.Open(
            new AuditWalOptions { Path = _dir, MaxBytes = maxBytes, SegmentBytes = segmentBytes },
            _logs.CreateLogger<Silo.Federation.AuditWal.AuditWal>());
        _open.Add(wal);
        return wal;
    }

    private async Task CloseAsync(Silo.Federation.AuditWal.AuditWal wal)
    {
        _open.Remove(wal);
        await wal.DisposeAsync();
    }
}
