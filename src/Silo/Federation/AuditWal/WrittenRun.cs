namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// Members [<paramref name="From"/>, <paramref name="To"/>) of one group that the writer took in one batch: the
/// claimed ones got consecutive sequences from <paramref name="FirstSequence"/> in member order; the others had
/// been withdrawn and got none.
/// </summary>
internal readonly record struct WrittenRun(AppendGroup Group, int From, int To, ulong FirstSequence)
{
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
}
