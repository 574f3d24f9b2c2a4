namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// An append waiting for the writer. The caller may cancel it only until the writer claims it: after that its
/// bytes are on their way to disk and the caller learns the sequence, so a cancelled append never leaves a gap
/// and a durable one is never reported as cancelled.
/// </summary>
internal sealed class PendingAppend
{
    private const int Waiting = 0;
    private const int Claimed = 1;
    private const int Cancelled = 2;

    private int _state;
    private readonly CancellationTokenRegistration _registration;

    public PendingAppend(byte[] payload, CancellationToken cancellationToken)
    {
        Payload = payload;
        _registration = cancellationToken.Register(() =>
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
            {
                // Not on the cancelling thread: the WAL writer may be waiting on this append.
                ThreadPool.UnsafeQueueUserWorkItem(static c => c.Append.Completion.TrySetCanceled(c.Token), (Append: this, Token: cancellationToken), preferLocal: false);
            }
        });
    }

    public byte[] Payload { get; }

    public long RecordBytes => WalRecordFormat.RecordBytes(Payload.Length);

    /// <summary>
    /// Continuations run where the result is set: the WAL sets durable results in bulk on a thread-pool item of
    /// their own (<see cref="AuditWal"/>), never on its writer, so one queued item per batch replaces one per append.
    /// </summary>
    public TaskCompletionSource<ulong> Completion { get; } = new();

    public bool IsCancelled => Volatile.Read(ref _state) == Cancelled;

    public bool TryClaim()
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Waiting) != Waiting)
        {
            return false;
        }

        _registration.Dispose();
        return true;
    }

    /// <summary>Fails an append that was never written (the WAL is closing or broken).</summary>
    public void Abandon(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting)
        {
            _registration.Dispose();
            ThreadPool.UnsafeQueueUserWorkItem(static a => a.Append.Completion.TrySetException(a.Reason), (Append: this, Reason: reason), preferLocal: false);
        }
    }
}
