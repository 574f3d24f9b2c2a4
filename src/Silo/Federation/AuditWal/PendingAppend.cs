using System.Threading.Tasks.Sources;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// An append waiting for the writer, and the awaitable its caller holds (one object per append, instead of an
/// append, a TaskCompletionSource and its Task). The caller may cancel it only until the writer claims it: after
/// that its bytes are on their way to disk and the caller learns the sequence, so a cancelled append never leaves
/// a gap and a durable one is never reported as cancelled. Completed exactly once: by the writer (claimed), by the
/// cancellation (cancelled while waiting) or by <see cref="Abandon"/> (never written).
/// </summary>
internal sealed class PendingAppend : IValueTaskSource<ulong>
{
    private const int Waiting = 0;
    private const int Claimed = 1;
    private const int Cancelled = 2;

    private readonly CancellationToken _cancellationToken;
    private readonly CancellationTokenRegistration _registration;
    // Continuations run where the result is set: the WAL sets durable results in bulk on a thread-pool item of its
    // own (AuditWal), never on its writer, so one queued item per batch replaces one per append.
    private ManualResetValueTaskSourceCore<ulong> _core;
    private TaskCompletionSource? _cancelledSignal; // made only when the writer waits on this append for room
    private int _state;

    public PendingAppend(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Payload = payload;
        _cancellationToken = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static a => ((PendingAppend)a!).OnCancelled(), this);
        }
    }

    public ReadOnlyMemory<byte> Payload { get; }

    public long RecordBytes => WalRecordFormat.RecordBytes(Payload.Length);

    public ValueTask<ulong> Completion => new(this, _core.Version);

    public bool IsCancelled => Volatile.Read(ref _state) == Cancelled;

    /// <summary>Completes once the append is cancelled; never, if it is claimed first.</summary>
    public Task WhenCancelled()
    {
        var signal = Volatile.Read(ref _cancelledSignal);
        if (signal is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal = Interlocked.CompareExchange(ref _cancelledSignal, created, null) ?? created;
        }

        if (IsCancelled)
        {
            signal.TrySetResult(); // cancelled before the signal existed
        }

        return signal.Task;
    }

    public bool TryClaim()
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Waiting) != Waiting)
        {
            return false;
        }

        _registration.Dispose();
        return true;
    }

    /// <summary>The writer made a claimed append durable.</summary>
    public void Complete(ulong sequence) => _core.SetResult(sequence);

    /// <summary>The writer failed to make a claimed append durable.</summary>
    public void Fail(Exception error) => _core.SetException(error);

    /// <summary>Fails an append that was never written (the WAL is closing or broken).</summary>
    public void Abandon(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting)
        {
            _registration.Dispose();
            ThreadPool.UnsafeQueueUserWorkItem(static a => a.Append.Fail(a.Reason), (Append: this, Reason: reason), preferLocal: false);
        }
    }

    public ulong GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void OnCancelled()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
        {
            Volatile.Read(ref _cancelledSignal)?.TrySetResult();
            // Not on the cancelling thread: the WAL writer may be waiting on this append.
            ThreadPool.UnsafeQueueUserWorkItem(
                static a => a.Fail(new OperationCanceledException(a._cancellationToken)), this, preferLocal: false);
        }
    }
}
