using System.Text;
using Conductor.Silo.Federation.AuditWal;
using Conductor.TestSupport.Logging;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tests.Federation.AuditWal;

public sealed class AuditWalTests : IAsyncDisposable
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    private readonly string _dir = Directory.CreateTempSubdirectory("conductor-wal-").FullName;
    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<Silo.Federation.AuditWal.AuditWal> _open = [];

    [Fact]
    public async Task AppendAsync_ThenReopen_ReplaysSameRecordsInOrder()
    {
        var wal = Open();
        var sequences = new List<ulong>();
        foreach (var text in new[] { "one", "two", "three" })
        {
            sequences.Add(await wal.AppendAsync(Bytes(text), Ct));
        }

        await CloseAsync(wal);
        var reopened = Open();

        Assert.Equal([1UL, 2UL, 3UL], sequences);
        Assert.Equal([(1UL, "one"), (2UL, "two"), (3UL, "three")], await ReadAllAsync(reopened));
        Assert.Equal(4UL, await reopened.AppendAsync(Bytes("four"), Ct));
    }

    [Fact]
    public async Task AckAsync_ThenReopen_AckedSequencePersistsAndReplayStartsAfterIt()
    {
        var wal = Open();
        for (var i = 1; i <= 5; i++)
        {
            await wal.AppendAsync(Bytes($"e{i}"), Ct);
        }

        await wal.AckAsync(3, Ct);
        await CloseAsync(wal);
        var reopened = Open();

        Assert.Equal(3UL, reopened.AckedSequence);
        Assert.Equal([(4UL, "e4"), (5UL, "e5")], await ReadAllAsync(reopened));
    }

    [Fact]
    public async Task ReadAsync_FromSequence_SkipsEarlierUnackedRecords()
    {
        var wal = Open();
        for (var i = 1; i <= 5; i++)
        {
            await wal.AppendAsync(Bytes($"e{i}"), Ct);
        }

        await wal.AckAsync(1, Ct);

        Assert.Equal([(4UL, "e4"), (5UL, "e5")], await ReadAllAsync(wal, from: 4));
        Assert.Equal([(2UL, "e2"), (3UL, "e3"), (4UL, "e4"), (5UL, "e5")], await ReadAllAsync(wal, from: 0));
    }

    [Fact]
    public async Task AckAsync_FullyAckedSegments_AreDeletedAndUnackedKept()
    {
        var wal = Open(segmentBytes: 256);
        for (var i = 1; i <= 20; i++)
        {
            await wal.AppendAsync(new byte[50], Ct); // 66-byte records: three per 256-byte segment
        }

        var before = SegmentFiles();
        await wal.AckAsync(10, Ct);
        var after = SegmentFiles();

        Assert.True(before.Length >= 7, $"expected at least 7 segments, found {before.Length}");
        Assert.True(after.Length < before.Length);
        // The first surviving segment still holds sequence 11; nothing unacked was deleted.
        Assert.Equal(Enumerable.Range(11, 10).Select(i => (ulong)i), (await ReadAllAsync(wal)).Select(r => r.Sequence));
        Assert.Equal(after.Sum(f => new FileInfo(f).Length), wal.BytesOnDisk);
    }

    [Fact]
    public async Task AckAsync_EverythingAcked_ReopenContinuesSequenceWithoutReplay()
    {
        var wal = Open();
        for (var i = 1; i <= 4; i++)
        {
            await wal.AppendAsync(Bytes($"e{i}"), Ct);
        }

        await wal.AckAsync(4, Ct);
        Assert.Equal(0, wal.BytesOnDisk);
        await CloseAsync(wal);
        var reopened = Open();

        Assert.Empty(await ReadAllAsync(reopened));
        Assert.Equal(5UL, await reopened.AppendAsync(Bytes("e5"), Ct));
    }

    [Fact]
    public async Task AckAsync_BeyondLastSequence_AcknowledgesOnlyWhatWasWritten()
    {
        var wal = Open();
        await wal.AppendAsync(Bytes("e1"), Ct);

        await wal.AckAsync(99, Ct);

        Assert.Equal(1UL, wal.AckedSequence);
        Assert.Equal(2UL, await wal.AppendAsync(Bytes("e2"), Ct));
        Assert.Equal([(2UL, "e2")], await ReadAllAsync(wal));
        Assert.Contains(_logs.Entries, e => e.EventId.Name == "LogAckBeyondEnd");
    }

    [Fact]
    public async Task Open_TornTail_TruncatesAndContinuesAtNextSequence()
    {
        var wal = Open();
        for (var i = 1; i <= 3; i++)
        {
            await wal.AppendAsync(Bytes($"event-{i}"), Ct);
        }

        await CloseAsync(wal);
        var segment = Assert.Single(SegmentFiles());
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(length - 3); // a crash in the middle of writing record 3
        }

        var reopened = Open();

        Assert.Equal([(1UL, "event-1"), (2UL, "event-2")], await ReadAllAsync(reopened));
        Assert.Equal(3UL, await reopened.AppendAsync(Bytes("event-3b"), Ct));
        Assert.Equal("event-3b", (await ReadAllAsync(reopened))[^1].Payload);
        var log = Assert.Single(_logs.Entries, e => e.EventId.Name == "LogTruncatedTail");
        Assert.Contains("short record", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_CorruptLastRecord_TruncatesItNeverReplaysIt()
    {
        var wal = Open();
        for (var i = 1; i <= 3; i++)
        {
            await wal.AppendAsync(Bytes($"event-{i}"), Ct);
        }

        await CloseAsync(wal);
        var segment = Assert.Single(SegmentFiles());
        var bytes = File.ReadAllBytes(segment);
        bytes[^2] ^= 0x40; // a flipped bit inside record 3's payload
        File.WriteAllBytes(segment, bytes);

        var reopened = Open();

        Assert.Equal([(1UL, "event-1"), (2UL, "event-2")], await ReadAllAsync(reopened));
        Assert.Equal(3UL, await reopened.AppendAsync(Bytes("event-3b"), Ct));
        var log = Assert.Single(_logs.Entries, e => e.EventId.Name == "LogTruncatedTail");
        Assert.Contains("checksum mismatch", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_GarbageAfterLastRecord_TruncatesIt()
    {
        var wal = Open();
        await wal.AppendAsync(Bytes("event-1"), Ct);
        await CloseAsync(wal);
        var segment = Assert.Single(SegmentFiles());
        await File.AppendAllTextAsync(segment, new string('\0', 40), TestContext.Current.CancellationToken);

        var reopened = Open();

        Assert.Equal([(1UL, "event-1")], await ReadAllAsync(reopened));
        Assert.Equal(2UL, await reopened.AppendAsync(Bytes("event-2"), Ct));
    }

    [Fact]
    public async Task AppendAsync_OverCap_WaitsUntilAckFreesSpaceAndTogglesIsFull()
    {
        var wal = Open(maxBytes: 4096, segmentBytes: 1024);
        var fullChanges = new List<TaskCompletionSource<bool>> { NewTcs(), NewTcs() };
        var changes = 0;
        wal.FullChanged += (_, _) => fullChanges[Interlocked.Increment(ref changes) - 1].TrySetResult(wal.IsFull);
        var payload = new byte[100]; // 116-byte records
        while (wal.BytesOnDisk + 116 <= 4096)
        {
            await wal.AppendAsync(payload, Ct);
        }

        var blocked = wal.AppendAsync(payload, Ct);
        var becameFull = await fullChanges[0].Task.WaitAsync(Cap, Ct);

        Assert.True(becameFull);
        Assert.False(blocked.IsCompleted);
        var lastWritten = wal.LastSequence;

        await wal.AckAsync(8, Ct); // the first 1024-byte segment holds 8 records

        Assert.Equal(lastWritten + 1, await blocked.WaitAsync(Cap, Ct));
        Assert.False(await fullChanges[1].Task.WaitAsync(Cap, Ct));
        Assert.False(wal.IsFull);
    }

    [Fact]
    public async Task AppendAsync_CancelledWhileFull_ThrowsAndLeavesNoGap()
    {
        var wal = Open(maxBytes: 4096, segmentBytes: 1024);
        var becameFull = NewTcs();
        wal.FullChanged += (_, _) =>
        {
            if (wal.IsFull)
            {
                becameFull.TrySetResult(true);
            }
        };
        while (wal.BytesOnDisk + 116 <= 4096)
        {
            await wal.AppendAsync(new byte[100], Ct);
        }

        using var cancel = new CancellationTokenSource();
        var blocked = wal.AppendAsync(new byte[100], cancel.Token);
        await becameFull.Task.WaitAsync(Cap, Ct);
        var last = wal.LastSequence;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(Cap, Ct));
        await wal.AckAsync(last, Ct);
        Assert.Equal(last + 1, await wal.AppendAsync(new byte[100], Ct).WaitAsync(Cap, Ct));
    }

    [Fact]
    public async Task AppendAsync_RecordLargerThanCap_ThrowsInsteadOfWaitingForever()
    {
        var wal = Open(maxBytes: 4096);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => wal.AppendAsync(new byte[5000], Ct));

        Assert.Contains("WAL_MAX_BYTES=4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAppenders_GetUniqueContiguousSequences()
    {
        var wal = Open(segmentBytes: 2048);
        const int Writers = 8;
        const int PerWriter = 50;

        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<(ulong, string)>();
            for (var i = 0; i < PerWriter; i++)
            {
                var text = $"w{w}-{i}";
                mine.Add((await wal.AppendAsync(Bytes(text), Ct), text));
            }

            return mine;
        })));

        var all = results.SelectMany(r => r).OrderBy(r => r.Item1).ToList();
        Assert.Equal(Enumerable.Range(1, Writers * PerWriter).Select(i => (ulong)i), all.Select(r => r.Item1));
        await CloseAsync(wal);
        Assert.Equal(all, await ReadAllAsync(Open()));
    }

    [Fact]
    public async Task Commits_AppendsAwaitedOneByOneThenAcks_OneCommitPerAppendAndOnePersistedAckPerNewMark()
    {
        var wal = Open();
        for (var i = 0; i < 3; i++)
        {
            await wal.AppendAsync(Bytes($"e{i}"), Ct);
        }

        await wal.AckAsync(2, Ct);
        await wal.AckAsync(2, Ct); // not above the mark: nothing persisted
        await wal.AckAsync(3, Ct);

        Assert.Equal((3L, 2L), (wal.Commits, wal.AcksPersisted));
    }

    [Fact]
    public async Task Commits_BurstOfAppends_FewerCommitsThanRecords()
    {
        var wal = Open();
        const int Burst = 2000;

        var sequences = await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => wal.AppendAsync(Bytes($"e{i}"), Ct)));

        Assert.Equal(Burst, sequences.Distinct().Count());
        Assert.InRange(wal.Commits, 1, Burst - 1);
    }

    [Fact]
    public async Task WaitForAppendAsync_LaterAppend_Completes()
    {
        var wal = Open();
        var waiting = wal.WaitForAppendAsync(0, Ct);

        Assert.False(waiting.IsCompleted);
        await wal.AppendAsync(Bytes("e1"), Ct);

        await waiting.WaitAsync(Cap, Ct);
    }

    [Fact]
    public async Task ReadAsync_RecordsAcrossReadWindowsAndOneLargerThanAWindow_ReturnsEveryRecordIntact()
    {
        // The reader takes 256 KiB at a time: 3 000 records of ~200 bytes straddle several window edges, and one
        // 600 KB record does not fit a window at all.
        var wal = Open();
        var expected = new List<(ulong, string)>();
        for (var i = 1; i <= 3000; i++)
        {
            var text = (i == 1500 ? new string('L', 600_000) : new string((char)('a' + (i % 26)), 180)) + i;
            expected.Add((await wal.AppendAsync(Bytes(text), Ct), text));
        }

        var live = await ReadAllAsync(wal);
        await CloseAsync(wal);
        var reopened = Open(); // recovery reads the same segment with the synchronous reader

        Assert.Equal(expected, live);
        Assert.Equal(expected, await ReadAllAsync(reopened));
    }

    [Fact]
    public async Task Open_CorruptRecordBeyondTheFirstReadWindow_TruncatesFromThere()
    {
        var wal = Open();
        for (var i = 1; i <= 3000; i++)
        {
            await wal.AppendAsync(Bytes(new string('x', 180) + i), Ct);
        }

        await CloseAsync(wal);
        var segment = Assert.Single(SegmentFiles());
        var bytes = File.ReadAllBytes(segment);
        var record2000 = Enumerable.Range(1, 1999).Sum(i => 16 + Bytes(new string('x', 180) + i).Length); // header + payload each
        Assert.True(record2000 > 256 * 1024);
        bytes[record2000 + 16 + 20] ^= 0x40; // a flipped bit inside record 2 000's payload
        File.WriteAllBytes(segment, bytes);

        var reopened = Open();
        var replayed = await ReadAllAsync(reopened);

        Assert.Equal(Enumerable.Range(1, 1999).Select(i => (ulong)i), replayed.Select(r => r.Sequence));
        Assert.Single(_logs.Entries, e => e.EventId.Name == "LogTruncatedTail");
    }

    [Fact]
    public async Task TryTakeLive_SegmentFilesGoneAfterAppend_StillReturnsTheDurableRecordsWithoutReadingTheFile()
    {
        var wal = Open();
        foreach (var text in new[] { "one", "two", "three" })
        {
            await wal.AppendAsync(Bytes(text), Ct);
        }

        // The file can no longer be read back: only the in-memory hand-off can produce the records now.
        foreach (var segment in SegmentFiles())
        {
            File.Delete(segment);
        }

        var live = new List<AuditWalRecord>();
        Assert.True(wal.TryTakeLive(1, 10, live));
        Assert.Equal([(1UL, "one"), (2UL, "two"), (3UL, "three")], live.Select(r => (r.Sequence, Encoding.UTF8.GetString(r.Payload.Span))));
        Assert.Equal(0, wal.RecordsReadFromFile);
    }

    [Fact]
    public async Task TryTakeLive_RecordFellOutOfTheTail_FalseThenFileThenLiveAgainWithNoGap()
    {
        var wal = Open(liveTailRecords: 4);
        var all = new List<(ulong, string)>();
        for (var i = 1; i <= 10; i++)
        {
            all.Add((await wal.AppendAsync(Bytes($"r{i}"), Ct), $"r{i}"));
        }

        var live = new List<AuditWalRecord>();
        Assert.False(wal.TryTakeLive(1, 100, live));
        Assert.Empty(live);
        Assert.Equal(all, await ReadAllAsync(wal, 1));
        Assert.True(wal.TryTakeLive(11, 100, live));
        Assert.Empty(live); // nothing durable past 10 yet: wait, do not read the file

        all.Add((await wal.AppendAsync(Bytes("r11"), Ct), "r11"));
        Assert.False(wal.TryTakeLive(7, 2, live)); // r11 pushed r7 out of the four-record tail
        Assert.True(wal.TryTakeLive(8, 2, live));
        Assert.Equal([8UL, 9UL], live.Select(r => r.Sequence));
        live.Clear();
        Assert.True(wal.TryTakeLive(11, 100, live));
        Assert.Equal((11UL, "r11"), (live.Single().Sequence, Encoding.UTF8.GetString(live.Single().Payload.Span)));
    }

    [Fact]
    public async Task TryTakeLive_AfterReopen_FalseForRecordsFromBeforeSoReplayReadsTheFile()
    {
        var wal = Open();
        await wal.AppendAsync(Bytes("one"), Ct);
        await wal.AppendAsync(Bytes("two"), Ct);
        await CloseAsync(wal);
        var reopened = Open();

        var live = new List<AuditWalRecord>();
        Assert.False(reopened.TryTakeLive(1, 10, live));
        Assert.True(reopened.TryTakeLive(3, 10, live));
        Assert.Empty(live);
        Assert.Equal([(1UL, "one"), (2UL, "two")], await ReadAllAsync(reopened));
        Assert.Equal(2, reopened.RecordsReadFromFile);
    }

    // Appends that arrive together share one AppendGroup (member index as the token): each caller still gets its own
    // sequence in call order, and cancellation, back-pressure and close hold member by member.
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

    private static TaskCompletionSource<bool> NewTcs() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static byte[] Payload(char fill) => Bytes(new string(fill, 100));

    private static async Task FillAsync(Silo.Federation.AuditWal.AuditWal wal)
    {
        while (wal.BytesOnDisk + 116 <= 4096) // 116-byte records: a 100-byte payload and the header
        {
            await wal.AppendAsync(new byte[100], Ct);
        }
    }

    private static async Task WaitUntilFullAsync(Silo.Federation.AuditWal.AuditWal wal)
    {
        var full = NewTcs();
        wal.FullChanged += (_, _) =>
        {
            if (wal.IsFull)
            {
                full.TrySetResult(true);
            }
        };
        if (!wal.IsFull)
        {
            await full.Task.WaitAsync(Cap, Ct);
        }
    }

    private static async Task<List<(ulong Sequence, string Payload)>> ReadAllAsync(
        Silo.Federation.AuditWal.AuditWal wal, ulong from = 0)
    {
        var records = new List<(ulong, string)>();
        await foreach (var record in wal.ReadAsync(from, TestContext.Current.CancellationToken))
        {
            records.Add((record.Sequence, Encoding.UTF8.GetString(record.Payload.Span)));
        }

        return records;
    }

    private Silo.Federation.AuditWal.AuditWal Open(
        long maxBytes = AuditWalOptions.DefaultMaxBytes, long segmentBytes = 0, int liveTailRecords = AuditWalOptions.DefaultLiveTailRecords)
    {
        var wal = Silo.Federation.AuditWal.AuditWal.Open(
            new AuditWalOptions { Path = _dir, MaxBytes = maxBytes, SegmentBytes = segmentBytes, LiveTailRecords = liveTailRecords },
            _logs.CreateLogger<Silo.Federation.AuditWal.AuditWal>());
        _open.Add(wal);
        return wal;
    }

    private async Task CloseAsync(Silo.Federation.AuditWal.AuditWal wal)
    {
        _open.Remove(wal);
        await wal.DisposeAsync();
    }

    private string[] SegmentFiles() => [.. Directory.GetFiles(_dir, "*.wal").Order(StringComparer.Ordinal)];
}
