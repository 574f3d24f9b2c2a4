namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// Members [<paramref name="From"/>, <paramref name="To"/>) of one group that the writer took in one batch: the
/// claimed ones got consecutive sequences from <paramref name="FirstSequence"/> in member order; the others had
/// been withdrawn and got none. A run that never became durable (a failed write, or members claimed only to be
/// abandoned on close) carries <see cref="NoSequence"/>.
/// </summary>
internal readonly record struct WrittenRun(AppendGroup Group, int From, int To, ulong FirstSequence)
{
    /// <summary>The first sequence of a run that was never numbered (the WAL's sequences start at 1).</summary>
    public const ulong NoSequence = 0;

    /// <summary>Calls <paramref name="action"/> with each claimed member and its sequence, in order.</summary>
    public void ForEachClaimed<TState>(TState state, Action<TState, int, ulong> action)
    {
        var sequence = FirstSequence;
        for (var i = From; i < To; i++)
        {
            if (Group.IsClaimed(i))
            {
                action(state, i, sequence++);
            }
        }
    }

    /// <summary>
    /// Completes every claimed member of <paramref name="runs"/> with its sequence, on one thread-pool item: the
    /// callers' continuations run where the result is set, never on the WAL's writer.
    /// </summary>
    public static void CompleteClaimedOffWriter(List<WrittenRun> runs) =>
        ThreadPool.UnsafeQueueUserWorkItem(static runs =>
        {
            foreach (var run in runs)
            {
                run.ForEachClaimed(run.Group, static (group, member, sequence) => group.Complete(member, sequence));
            }
        }, runs, preferLocal: false);

    /// <summary>Fails every claimed member of <paramref name="runs"/> with <paramref name="error"/>, off the writer likewise.</summary>
    public static void FailClaimedOffWriter(List<WrittenRun> runs, Exception error) =>
        ThreadPool.UnsafeQueueUserWorkItem(static w =>
        {
            foreach (var run in w.Runs)
            {
                run.ForEachClaimed((run.Group, w.Error), static (s, member, _) => s.Group.Fail(member, s.Error));
            }
        }, (Runs: runs, Error: error), preferLocal: false);
}
