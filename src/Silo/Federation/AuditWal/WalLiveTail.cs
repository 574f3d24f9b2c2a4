namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// The most recent durable records, kept in memory so the live sender takes them without reading the segment
/// file back. Bounded by record count and bytes: the oldest fall out first, and a reader asking for one that fell
/// out (or for anything from before the WAL was opened) is told to read the file instead.
/// </summary>
internal sealed class WalLiveTail(ulong nextSequence, int maxRecords, long maxBytes)
{
    private readonly Lock _lock = new();
    private readonly Queue<AuditWalRecord> _records = new();
    private ulong _first = nextSequence; // sequence of the oldest record held (== _next when empty)
    private ulong _next = nextSequence; // one past the newest record held
    private long _bytes;

    /// <summary>Adds records the writer has just made durable; their sequences follow on from the last ones.</summary>
    public void Publish(IReadOnlyList<WrittenRun> durable)
    {
        lock (_lock)
        {
            foreach (var run in durable)
            {
                run.ForEachClaimed((Tail: this, run.Group), static (s, member, sequence) => s.Tail.Add(sequence, s.Group.Payload(member)));
            }
        }
    }

    private void Add(ulong sequence, ReadOnlyMemory<byte> payload)
    {
        if (sequence != _next)
        {
            // A gap (cannot happen while the writer is the only publisher): start over from here.
            _records.Clear();
            _bytes = 0;
            _first = sequence;
        }

        _records.Enqueue(new AuditWalRecord(sequence, payload));
        _bytes += payload.Length;
        _next = sequence + 1;
        while (_records.Count > maxRecords || (_bytes > maxBytes && _records.Count > 1))
        {
            _bytes -= _records.Dequeue().Payload.Length;
            _first++;
        }
    }

    /// <summary>
    /// Copies up to <paramref name="max"/> records from <paramref name="fromSequence"/> on into <paramref name="into"/>.
    /// False when the tail no longer (or never did) hold <paramref name="fromSequence"/>: read the file instead.
    /// True with nothing copied when <paramref name="fromSequence"/> is past the newest durable record.
    /// </summary>
    public bool TryTake(ulong fromSequence, int max, List<AuditWalRecord> into)
    {
        lock (_lock)
        {
            if (fromSequence < _first || fromSequence > _next)
            {
                return false;
            }

            var skip = (int)(fromSequence - _first);
            foreach (var record in _records)
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                if (into.Count >= max)
                {
                    break;
                }

                into.Add(record);
            }

            return true;
        }
    }
}
