using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// The tenant's audit write-ahead log: every audit event is made durable here before it is sent to management,
/// and stays until management acknowledges it, across reconnects and restarts.
/// <list type="bullet">
/// <item>Records live in segment files (format: <see cref="WalRecordFormat"/>); the WAL assigns each append the
/// next sequence, starting at 1, never reusing one.</item>
/// <item>Group commit: one writer drains every append waiting at that moment, writes them and issues one fsync;
/// each <see cref="AppendAsync"/> completes only once its record is on disk.</item>
/// <item><see cref="AckAsync"/> persists the acknowledged sequence (<see cref="AckedSequenceFile"/>: one synchronous
/// write in place), drops what it covers from the in-memory tail and deletes segments holding only
/// acknowledged records.</item>
/// <item>When the next record would pass <see cref="AuditWalOptions.MaxBytes"/>, appends wait for
/// acknowledgements (back-pressure) and <see cref="IsFull"/> turns true; nothing is ever dropped.</item>
/// <item><see cref="Open"/> truncates a torn or corrupt tail left by a crash.</item>
/// </list>
/// </summary>
public sealed partial class AuditWal : IAsyncDisposable
{
    private const int MaxBatchRecords = 4096;
    private const long MaxBatchBytes = 4L * 1024 * 1024;
    private const int StreamBufferBytes = 64 * 1024;

    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly ILogger<AuditWal> _logger;
    private readonly AckedSequenceFile _ackedFile;
    private readonly List<WalSegment> _segments; // guarded by _gate
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _ackGate = new(1, 1);
    private readonly Channel<AppendGroup> _queue =
        Channel.CreateUnbounded<AppendGroup>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _openLock = new();
    private AppendGroup? _open; // guarded by _openLock: the group new appends join, queued since it was made
    private int _lastGroupCount; // guarded by _openLock: sizes the next group for the concurrency just seen
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;
    private readonly WalLiveTail _liveTail;
    private long _recordsReadFromFile;
    private long _recordsTakenLive;
    private long _commits;
    private long _acksPersisted;
    private FileStream _activeStream; // guarded by _gate
    private long _bytesOnDisk;
    private ulong _lastSequence;
    private ulong _ackedSequence;
    private TaskCompletionSource _roomFreed = NewSignal();
    private TaskCompletionSource _appended = NewSignal();
    private int _isFull;
    private int _disposed;
    private Exception? _fault;

    private AuditWal(AuditWalOptions options, ILogger<AuditWal> logger, List<WalSegment> segments, AckedSequenceFile ackedFile, ulong acked)
    {
        _directory = options.Path;
        _maxBytes = options.MaxBytes;
        _segmentBytes = options.EffectiveSegmentBytes;
        _logger = logger;
        _ackedFile = ackedFile;
        _segments = segments;
        _ackedSequence = acked;
        // Never hand out an acknowledged sequence again: management deduplicates on it.
        _lastSequence = Math.Max(segments.Count > 0 ? segments[^1].LastSequence : 0, acked);
        if (segments.Count == 0 || segments[^1].LastSequence < _lastSequence)
        {
            segments.Add(CreateSegment(_lastSequence + 1));
        }

        // Starts empty: what was durable before this open is read from the file.
        _liveTail = new WalLiveTail(_lastSequence + 1, acked, options.LiveTailRecords, options.LiveTailBytes);
        _activeStream = OpenForAppend(segments[^1]);
        Compact();
        _bytesOnDisk = _segments.Sum(s => s.Length);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Raised when <see cref="IsFull"/> changes; the agent mirrors it into the AuditWALFull condition.</summary>
    public event EventHandler? FullChanged;

    /// <summary>The WAL directory.</summary>
    public string Path => _directory;

    /// <summary>Sequence of the last durable record (0 before the first).</summary>
    public ulong LastSequence => Volatile.Read(ref _lastSequence);

    /// <summary>Highest sequence management acknowledged; records up to it are never replayed.</summary>
    public ulong AckedSequence => Volatile.Read(ref _ackedSequence);

    /// <summary>True while the oldest waiting append has no room under the cap.</summary>
    public bool IsFull => Volatile.Read(ref _isFull) == 1;

    /// <summary>How many records <see cref="ReadAsync"/> has read back from segment files and returned (a diagnostic).</summary>
    public long RecordsReadFromFile => Interlocked.Read(ref _recordsReadFromFile);

    /// <summary>How many records <see cref="TryTakeLive"/> has taken from memory (a diagnostic: beside <see cref="RecordsReadFromFile"/>).</summary>
    public long RecordsTakenLive => Interlocked.Read(ref _recordsTakenLive);

    /// <summary>How many group commits (one fsync each) the writer has made durable (a diagnostic: records per commit).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>How many acknowledgements <see cref="AckAsync"/> has persisted (one synchronous write of the acked file each; a diagnostic).</summary>
    public long AcksPersisted => Interlocked.Read(ref _acksPersisted);

    /// <summary>Bytes the segment files occupy.</summary>
    public long BytesOnDisk => Interlocked.Read(ref _bytesOnDisk);

    /// <summary>Opens (creating if needed) the WAL in <see cref="AuditWalOptions.Path"/> and recovers it.</summary>
    public static AuditWal Open(AuditWalOptions options, ILogger<AuditWal> logger)
    {
        Directory.CreateDirectory(options.Path);
        var ackedFile = AckedSequenceFile.Open(options.Path, out var acked);
        AuditWal wal;
        try
        {
            if (acked is null)
            {
                LogAckedFileDamaged(logger, options.Path);
            }

            var segments = WalRecovery.Recover(options.Path, logger);
            wal = new AuditWal(options, logger, segments, ackedFile, acked ?? 0);
        }
        catch
        {
            ackedFile.Dispose();
            throw;
        }

        LogOpened(logger, options.Path, wal._segments.Count, wal.AckedSequence, wal.LastSequence, wal.BytesOnDisk);
        return wal;
    }

    /// <summary>
    /// Appends one record and completes with its sequence once it is durable. Waits while the WAL is full.
    /// Cancelling only withdraws an append that has not started to be written; it never leaves a gap.
    /// </summary>
    public Task<ulong> AppendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        AppendOwnedAsync(payload.ToArray(), cancellationToken).AsTask(); // the WAL keeps its own copy

    /// <summary>
    /// <see cref="AppendAsync"/> for a payload the caller hands over and never touches again: not copied. It may be
    /// a slice of a larger buffer (<see cref="PayloadSlabs"/>), which the WAL's in-memory tail then keeps alive.
    /// </summary>
    internal ValueTask<ulong> AppendOwnedAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        ThrowIfFaulted();
        if (payload.Length > WalRecordFormat.MaxPayloadBytes || WalRecordFormat.RecordBytes(payload.Length) > _maxBytes)
        {
            throw new ArgumentException(
                $"An audit WAL record of {payload.Length} bytes can never fit: the limit is " +
                $"{Math.Min(WalRecordFormat.MaxPayloadBytes, _maxBytes - WalRecordFormat.HeaderBytes)} bytes " +
                $"({AuditWalOptions.MaxBytesVariable}={_maxBytes})", nameof(payload));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_openLock)
        {
            if (_open is { } open && open.TryAdd(payload, cancellationToken, out var joined))
            {
                return joined;
            }

            if (_open is not null)
            {
                _lastGroupCount = _open.Count; // full
            }

            // Room for twice the appends the last group saw: a burst reaches MaxMembers in a few groups, while a
            // lone caller's group stays small.
            var group = new AppendGroup(Math.Clamp(2 * _lastGroupCount, AppendGroup.MinMembers, AppendGroup.MaxMembers));
            group.TryAdd(payload, cancellationToken, out var completion);
            _open = group;
            if (!_queue.Writer.TryWrite(group))
            {
                group.Seal();
                _open = null;
                group.AbandonWaiting(new ObjectDisposedException(nameof(AuditWal)));
            }

            return completion;
        }
    }

    /// <summary>Stops <paramref name="group"/> taking members, so the writer sees all it will ever hold.</summary>
    private void Seal(AppendGroup group)
    {
        lock (_openLock)
        {
            group.Seal();
            if (ReferenceEquals(_open, group))
            {
                _lastGroupCount = group.Count;
                _open = null;
            }
        }
    }

    /// <summary>
    /// Records that management durably holds every record up to <paramref name="sequence"/>, persists that, and
    /// reclaims the segments it frees. Values at or below the current mark are ignored.
    /// </summary>
    public async Task AckAsync(ulong sequence, CancellationToken cancellationToken = default)
    {
        if (sequence <= AckedSequence)
        {
            return;
        }

        // Its own lock for the file's fsyncs, so appends (which take _gate) are not held up by them.
        await _ackGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            var target = sequence;
            var last = LastSequence;
            if (target > last)
            {
                // Acknowledging what was never written would silently skip future records on replay.
                LogAckBeyondEnd(_logger, _directory, sequence, last);
                target = last;
            }

            if (target <= _ackedSequence)
            {
                return;
            }

            _ackedFile.Write(target);
            Volatile.Write(ref _ackedSequence, target);
            _liveTail.Trim(target);
            Interlocked.Increment(ref _acksPersisted);
            await _gate.WaitAsync(CancellationToken.None);
            try
            {
                if (Volatile.Read(ref _disposed) == 0)
                {
                    Compact();
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            _ackGate.Release();
        }

        Interlocked.Exchange(ref _roomFreed, NewSignal()).TrySetResult();
    }

    /// <summary>
    /// Reads the durable, unacknowledged records with a sequence of at least <paramref name="fromSequence"/>, in
    /// order, as they stood when the call began. Records appended later are read by the next call.
    /// </summary>
    public async IAsyncEnumerable<AuditWalRecord> ReadAsync(
        ulong fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<(string Path, ulong First, ulong Last, long Length)> snapshot;
        ulong start;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            snapshot = [.. _segments.Select(s => (s.Path, s.FirstSequence, s.LastSequence, s.Length))];
            start = Math.Max(fromSequence, _ackedSequence + 1);
        }
        finally
        {
            _gate.Release();
        }

        foreach (var (path, first, last, length) in snapshot)
        {
            if (last < start || last < first)
            {
                continue;
            }

            using var handle = OpenForRead(path);
            if (handle is null)
            {
                continue; // deleted by compaction meanwhile, so every record in it was acknowledged
            }

            var reader = new WalSegmentReader(handle, first, length);
            if (await reader.SkipToAsync(start, cancellationToken))
            {
                while (await reader.ReadNextAsync(cancellationToken) is { } record)
                {
                    Interlocked.Increment(ref _recordsReadFromFile);
                    yield return record;
                }
            }

            if (reader.Problem is not null)
            {
                throw new InvalidDataException(
                    $"Audit WAL segment {path} is damaged at offset {reader.ValidLength}: {reader.Problem}; " +
                    "restart the agent so recovery truncates the damaged records");
            }
        }
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> durable records from <paramref name="fromSequence"/> on out of memory,
    /// without reading the file. False when they are no longer (or were never) held there: use <see cref="ReadAsync"/>.
    /// True with nothing added when nothing from <paramref name="fromSequence"/> on is durable yet.
    /// </summary>
    public bool TryTakeLive(ulong fromSequence, int max, List<AuditWalRecord> into)
    {
        var before = into.Count;
        if (!_liveTail.TryTake(fromSequence, max, into))
        {
            return false;
        }

        Interlocked.Add(ref _recordsTakenLive, into.Count - before);
        return true;
    }

    /// <summary>Completes once a record with a sequence above <paramref name="sequence"/> is durable.</summary>
    public async Task WaitForAppendAsync(ulong sequence, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _appended);
            if (LastSequence > sequence)
            {
                return;
            }

            await signal.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _writer;
        await _ackGate.WaitAsync(); // an acknowledgement being persisted finishes first; later ones see _disposed
        await _gate.WaitAsync();
        try
        {
            await _activeStream.DisposeAsync();
        }
        finally
        {
            _ackedFile.Dispose();
            _gate.Release();
            _ackGate.Release();
        }

        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static Microsoft.Win32.SafeHandles.SafeFileHandle? OpenForRead(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static FileStream OpenForAppend(WalSegment segment)
    {
        var stream = new FileStream(segment.Path, FileMode.OpenOrCreate, FileAccess.Write,
            FileShare.Read | FileShare.Delete, StreamBufferBytes);
        stream.Position = segment.Length;
        return stream;
    }

    private void ThrowIfFaulted()
    {
        if (_fault is { } fault)
        {
            throw new IOException(
                $"The audit WAL in {_directory} stopped after a write failed ({fault.Message}); fix the volume and " +
                "restart the agent, which recovers every record made durable before the failure", fault);
        }
    }

    private bool HasRoom(long recordBytes) => Interlocked.Read(ref _bytesOnDisk) + recordBytes <= _maxBytes;

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                if (_fault is not null)
                {
                    AbandonQueued(_fault);
                    continue;
                }

                if (!reader.TryPeek(out var head))
                {
                    continue;
                }

                Seal(head);
                if (!head.SkipWithdrawn())
                {
                    reader.TryRead(out _);
                    if (!reader.TryPeek(out _))
                    {
                        SetFull(false);
                    }

                    continue;
                }

                if (await WaitForRoomAsync(head))
                {
                    await WriteBatchAsync(reader);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }

        AbandonQueued(new ObjectDisposedException(nameof(AuditWal)));
    }

    private void AbandonQueued(Exception reason)
    {
        while (_queue.Reader.TryRead(out var group))
        {
            Seal(group);
            group.AbandonWaiting(reason);
        }
    }

    /// <summary>Waits until the head group's next member fits; false when that member was withdrawn meanwhile.</summary>
    private async Task<bool> WaitForRoomAsync(AppendGroup head)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _roomFreed);
            if (HasRoom(head.RecordBytes(head.Next)))
            {
                SetFull(false);
                return true;
            }

            SetFull(true);
            var cancelled = head.WhenMemberCancelled();
            if (!head.IsWaiting(head.Next))
            {
                return false; // withdrawn before the signal existed
            }

            await Task.WhenAny(signal.Task, cancelled).WaitAsync(_stopping.Token);
            if (!head.IsWaiting(head.Next))
            {
                return false;
            }
        }
    }

    private async Task WriteBatchAsync(ChannelReader<AppendGroup> reader)
    {
        var written = new List<WrittenRun>();
        var records = 0;
        AppendGroup? current = null; // the group being written, until its run is in `written`
        var currentFrom = 0;
        await _gate.WaitAsync();
        try
        {
            var batchBytes = 0L;
            var stopped = false;
            while (!stopped && records < MaxBatchRecords && batchBytes < MaxBatchBytes && reader.TryPeek(out var group))
            {
                Seal(group);
                (current, currentFrom) = (group, group.Next);
                var first = _lastSequence + (ulong)records + 1;
                while (group.Next < group.Count)
                {
                    if (records >= MaxBatchRecords || batchBytes >= MaxBatchBytes)
                    {
                        stopped = true;
                        break;
                    }

                    var member = group.Next;
                    if (group.IsWaiting(member) && !HasRoom(group.RecordBytes(member)))
                    {
                        stopped = true; // the next loop turn waits for room, with this member at the head
                        break;
                    }

                    group.Next++;
                    if (!group.TryClaim(member))
                    {
                        continue; // cancelled while queued
                    }

                    records++;
                    WriteRecord(_lastSequence + (ulong)records, group.Payload(member).Span);
                    batchBytes += group.RecordBytes(member);
                }

                if (group.Next > currentFrom)
                {
                    written.Add(new WrittenRun(group, currentFrom, group.Next, first));
                }

                current = null;

                if (group.Next == group.Count)
                {
                    reader.TryRead(out _);
                }
            }

            if (records == 0)
            {
                return;
            }

            await _activeStream.FlushAsync(); // hand the buffer to the kernel, then one fsync for the batch
            _activeStream.Flush(flushToDisk: true);
            // Into the live tail only after the fsync, and before LastSequence moves: whoever sees the new
            // LastSequence finds the records there.
            _liveTail.Publish(written);
            Volatile.Write(ref _lastSequence, _lastSequence + (ulong)records);
            Interlocked.Increment(ref _commits);
        }
        catch (Exception e)
        {
            _fault = e;
            LogWriteFailed(_logger, e, _directory, records);
            if (current is not null && current.Next > currentFrom)
            {
                written.Add(new WrittenRun(current, currentFrom, current.Next, WrittenRun.NoSequence)); // claimed, never durable
            }

            WrittenRun.FailClaimedOffWriter(written, e);
            return;
        }
        finally
        {
            _gate.Release();
        }

        // One thread-pool item completes the whole batch, off the writer: the callers' continuations run there.
        WrittenRun.CompleteClaimedOffWriter(written);
        Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
    }

    private void WriteRecord(ulong sequence, ReadOnlySpan<byte> payload)
    {
        var recordBytes = (int)WalRecordFormat.RecordBytes(payload.Length);
        var active = _segments[^1];
        if (!active.IsEmpty && active.Length + recordBytes > _segmentBytes)
        {
            active = Roll(sequence);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(recordBytes);
        try
        {
            WalRecordFormat.Write(buffer, sequence, payload);
            _activeStream.Write(buffer, 0, recordBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        active.Length += recordBytes;
        active.LastSequence = sequence;
        Interlocked.Add(ref _bytesOnDisk, recordBytes);
    }

    /// <summary>Makes the active segment durable and starts a new one whose first record is <paramref name="next"/>.</summary>
    private WalSegment Roll(ulong next)
    {
        _activeStream.Flush(flushToDisk: true);
        _activeStream.Dispose();
        var segment = CreateSegment(next);
        _segments.Add(segment);
        _activeStream = OpenForAppend(segment);
        return segment;
    }

    private WalSegment CreateSegment(ulong firstSequence)
    {
        var path = System.IO.Path.Combine(_directory, WalSegment.FileName(firstSequence));
        using (new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
        }

        // The new name must be durable before any record in it is reported durable.
        DirectorySync.Flush(_directory);
        return new WalSegment(path, firstSequence);
    }

    /// <summary>Deletes segments holding only acknowledged records; the active one is rolled first.</summary>
    private void Compact()
    {
        var acked = _ackedSequence;
        var active = _segments[^1];
        if (!active.IsEmpty && active.LastSequence <= acked)
        {
            Roll(active.LastSequence + 1);
        }

        var freed = 0L;
        var deleted = 0;
        while (_segments.Count > 1 && _segments[0].LastSequence <= acked)
        {
            var segment = _segments[0];
            File.Delete(segment.Path);
            _segments.RemoveAt(0);
            freed += segment.Length;
            deleted++;
        }

        if (deleted > 0)
        {
            Interlocked.Add(ref _bytesOnDisk, -freed);
            LogCompacted(_logger, _directory, deleted, freed, acked);
        }
    }

    private void SetFull(bool full)
    {
        if (Interlocked.Exchange(ref _isFull, full ? 1 : 0) == (full ? 1 : 0))
        {
            return;
        }

        if (full)
        {
            LogFull(_logger, _directory, BytesOnDisk, _maxBytes, AckedSequence);
        }
        else
        {
            LogNoLongerFull(_logger, _directory, BytesOnDisk, _maxBytes);
        }

        try
        {
            FullChanged?.Invoke(this, EventArgs.Empty);
        }
        catch (Exception e)
        {
            LogFullChangedHandlerFailed(_logger, e, _directory);
        }
    }
}
