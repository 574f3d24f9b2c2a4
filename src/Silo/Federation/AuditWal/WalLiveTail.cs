using System.Numerics;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// The most recent durable, unacknowledged records, kept in memory so the live sender takes them without reading
/// the segment file back. A ring indexed by sequence, so a reader finds its start at once however far into the
/// tail it is. Bounded by record count and bytes: the oldest fall out first, and a reader asking for one that fell
/// out (or for anything from before the WAL was opened) is told to read the file instead. Records management
/// acknowledged leave at once (<see cref="Trim"/>): they are never sent again, and holding them would keep their
/// payloads alive and push unsent ones out.
/// </summary>
internal sealed class WalLiveTail
{
    private const int InitialSlots = 1024;

    private readonly Lock _lock = new();
    private readonly int _maxRecords;
    private readonly long _maxBytes;
    private AuditWalRecord[] _ring; // a power of two in length; record s sits at s & (length - 1)
    private ulong _first; // sequence of the oldest record held (== _next when empty)
    private ulong _next; // one past the newest record held
    private ulong _acked; // highest acknowledged sequence: nothing at or below it is ever asked for again
    private long _bytes;

    public WalLiveTail(ulong nextSequence, ulong ackedSequence, int maxRecords, long maxBytes)
    {
        _maxRecords = maxRecords;
        _maxBytes = maxBytes;
        // Grows as bursts need, up to the cap: an idle agent does not pay for the largest burst.
        _ring = new AuditWalRecord[Math.Min(InitialSlots, (int)BitOperations.RoundUpToPowerOf2((uint)maxRecords))];
        _first = _next = nextSequence;
        _acked = ackedSequence;
    }

    /// <summary>Records held (a diagnostic for tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return (int)(_next - _first);
            }
        }
    }

    /// <summary>Adds records the writer has just made durable; their sequences follow on from the last ones.</summary>
    public void Publish(IReadOnlyList<WrittenRun> durable)
    {
        lock (_lock)
        {
            foreach (var run in durable)
            {
                run.ForEachClaimed((Tail: this, run.Group), static (s, member, sequence) => s.Tail.AddHeld(sequence, s.Group.Payload(member)));
            }
        }
    }

    /// <summary>Adds one record (the writer's path goes through <see cref="Publish"/>).</summary>
    public void Add(ulong sequence, ReadOnlyMemory<byte> payload)
    {
        lock (_lock)
        {
            AddHeld(sequence, payload);
        }
    }

    /// <summary>Drops every record up to <paramref name="acked"/>, which management now holds.</summary>
    public void Trim(ulong acked)
    {
        lock (_lock)
        {
            _acked = Math.Max(_acked, acked);
            while (_first < _next && _first <= acked)
            {
                RemoveOldest();
            }

            if (_first == _next && _first <= acked)
            {
                _first = _next = acked + 1; // acknowledged past what is held (records never published here)
            }
        }
    }

    /// <summary>
    /// Copies up to <paramref name="max"/> records from <paramref name="fromSequence"/> on into <paramref name="into"/>
    /// (acknowledged ones are skipped: they need no sending). False when the tail no longer (or never did) hold the
    /// first unacknowledged one: read the file instead. True with nothing copied when nothing from there on is
    /// durable yet.
    /// </summary>
    public bool TryTake(ulong fromSequence, int max, List<AuditWalRecord> into)
    {
        lock (_lock)
        {
            var start = Math.Max(fromSequence, _acked + 1);
            if (start < _first || start > _next)
            {
                return false;
            }

            var end = Math.Min(_next, start + (ulong)Math.Max(0, max - into.Count));
            for (var sequence = start; sequence < end; sequence++)
            {
                into.Add(_ring[Slot(sequence)]);
            }

            return true;
        }
    }

    private void AddHeld(ulong sequence, ReadOnlyMemory<byte> payload)
    {
        if (sequence != _next)
        {
            // A gap (cannot happen while the writer is the only publisher): start over from here.
            while (_first < _next)
            {
                RemoveOldest();
            }

            _first = _next = sequence;
        }

        while (_next - _first >= (ulong)_maxRecords || (_bytes + payload.Length > _maxBytes && _next > _first))
        {
            RemoveOldest();
        }

        if (_next - _first >= (ulong)_ring.Length)
        {
            Grow();
        }

        _ring[Slot(sequence)] = new AuditWalRecord(sequence, payload);
        _bytes += payload.Length;
        _next = sequence + 1;
    }

    private int Slot(ulong sequence) => (int)(sequence & (ulong)(_ring.Length - 1));

    private void RemoveOldest()
    {
        ref var oldest = ref _ring[Slot(_first)];
        _bytes -= oldest.Payload.Length;
        oldest = default; // lets the payload's buffer go
        _first++;
    }

    private void Grow()
    {
        var ring = new AuditWalRecord[_ring.Length * 2];
        for (var sequence = _first; sequence < _next; sequence++)
        {
            ring[(int)(sequence & (ulong)(ring.Length - 1))] = _ring[Slot(sequence)];
        }

        _ring = ring;
    }
}
