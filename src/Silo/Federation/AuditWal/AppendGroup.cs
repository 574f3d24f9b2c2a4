using System.Threading.Tasks.Sources;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// Appends that arrived while the writer was busy, and the awaitable each caller holds: one object and one array
/// of member structs per group instead of an object per append. A caller's <see cref="ValueTask{TResult}"/> carries
/// its member index as the token; each member's completion is its own
/// <see cref="ManualResetValueTaskSourceCore{TResult}"/> inside the array. A burst fills groups of
/// <see cref="MaxMembers"/>, whose array (~80 bytes a member) lands on the large-object heap: young collections
/// never copy it, where 200 000 waiting callers' objects were copied by every collection they lived through.
/// Nothing is pooled: a group is garbage once its callers have read their results, so idle memory does not grow.
/// <para>Members join under the WAL's open-group lock until the writer seals the group; after that only the writer
/// takes members, in order. A member may be cancelled only until the writer claims it: after that its bytes are on
/// their way to disk and the caller learns the sequence, so a cancelled append never leaves a gap and a durable one
/// is never reported as cancelled. Each member completes exactly once: by the writer (claimed), by its
/// cancellation (withdrawn while waiting) or by <see cref="AbandonWaiting"/> (never written).</para>
/// </summary>
internal sealed class AppendGroup : IValueTaskSource<ulong>
{
    /// <summary>Most members per group: the writer's largest batch (the token is a short).</summary>
    internal const int MaxMembers = 4096;

    /// <summary>Fewest members a new group has room for.</summary>
    internal const int MinMembers = 4;

    private const int Waiting = 0;
    private const int Claimed = 1;
    private const int Cancelled = 2;

    private readonly Member[] _members;
    private CancellationTokenRegistration[]? _registrations; // only once a member can be cancelled
    private TaskCompletionSource? _memberCancelled; // made only when the writer waits on this group for room
    private int _count; // guarded by the WAL's open-group lock until sealed
    private bool _sealed; // guarded by the WAL's open-group lock

    public AppendGroup(int capacity)
    {
        _members = new Member[capacity];
    }

    /// <summary>Members added; final once sealed.</summary>
    public int Count => _count;

    /// <summary>The first member the writer has not taken yet (the writer's alone).</summary>
    public int Next { get; set; }

    /// <summary>Adds a member unless the group is sealed or full; call under the WAL's open-group lock.</summary>
    public bool TryAdd(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken, out ValueTask<ulong> completion)
    {
        if (_sealed || _count == _members.Length)
        {
            completion = default;
            return false;
        }

        var index = _count++;
        _members[index].Payload = payload;
        if (cancellationToken.CanBeCanceled)
        {
            _registrations ??= new CancellationTokenRegistration[_members.Length];
            // A token cancelled meanwhile runs the callback right here, which withdraws the member at once.
            _registrations[index] = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var (group, member) = ((AppendGroup, int))state!;
                    group.OnCancelled(member, token);
                },
                (this, index));
        }

        completion = new ValueTask<ulong>(this, (short)index);
        return true;
    }

    /// <summary>No member joins after this; call under the WAL's open-group lock.</summary>
    public void Seal() => _sealed = true;

    public bool IsWaiting(int index) => Volatile.Read(ref _members[index].State) == Waiting;

    public bool IsClaimed(int index) => Volatile.Read(ref _members[index].State) == Claimed;

    public ReadOnlyMemory<byte> Payload(int index) => _members[index].Payload;

    public long RecordBytes(int index) => WalRecordFormat.RecordBytes(_members[index].Payload.Length);

    /// <summary>Moves <see cref="Next"/> past withdrawn members; false when no member from there on is waiting.</summary>
    public bool SkipWithdrawn()
    {
        while (Next < _count && !IsWaiting(Next))
        {
            Next++;
        }

        return Next < _count;
    }

    /// <summary>Completes once a member is cancelled after this call; the writer re-checks <see cref="Next"/> then.</summary>
    public Task WhenMemberCancelled()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _memberCancelled, signal);
        return signal.Task;
    }

    /// <summary>The writer takes a waiting member; false when it was cancelled first.</summary>
    public bool TryClaim(int index)
    {
        if (Interlocked.CompareExchange(ref _members[index].State, Claimed, Waiting) != Waiting)
        {
            return false;
        }

        _registrations?[index].Dispose();
        return true;
    }

    /// <summary>The writer made a claimed member durable.</summary>
    public void Complete(int index, ulong sequence)
    {
        _members[index].Payload = default; // the WAL's live tail holds what the sender still needs
        _members[index].Completion.SetResult(sequence);
    }

    /// <summary>The writer failed to make a claimed member durable.</summary>
    public void Fail(int index, Exception error)
    {
        _members[index].Payload = default;
        _members[index].Completion.SetException(error);
    }

    /// <summary>Fails every member from <see cref="Next"/> on that is still waiting (the WAL is closing or broken).</summary>
    public void AbandonWaiting(Exception reason)
    {
        var from = Next;
        var abandoned = false;
        for (var i = from; i < _count; i++)
        {
            abandoned |= TryClaim(i);
        }

        Next = _count;
        if (abandoned)
        {
            WrittenRun.FailClaimedOffWriter([new WrittenRun(this, from, _count, WrittenRun.NoSequence)], reason);
        }
    }

    public ulong GetResult(short token) => _members[token].Completion.GetResult(0);

    public ValueTaskSourceStatus GetStatus(short token) => _members[token].Completion.GetStatus(0);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _members[token].Completion.OnCompleted(continuation, state, 0, flags);

    private struct Member
    {
        public ReadOnlyMemory<byte> Payload;
        // Continuations run where the result is set: the WAL sets durable results in bulk on a thread-pool item of
        // its own, never on its writer, so one queued item per batch replaces one per append.
        public ManualResetValueTaskSourceCore<ulong> Completion;
        public int State;
    }

    private void OnCancelled(int index, CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _members[index].State, Cancelled, Waiting) == Waiting)
        {
            Volatile.Read(ref _memberCancelled)?.TrySetResult();
            // Not on the cancelling thread: the WAL writer may be waiting on this member.
            ThreadPool.UnsafeQueueUserWorkItem(
                static a => a.Group.Fail(a.Index, new OperationCanceledException(a.Token)), (Group: this, Index: index, Token: token), preferLocal: false);
        }
    }
}
