using Conductor.Federation;

namespace Conductor.Grains.Federation.Storage;

/// <summary>Picks what a batch adds to the stored run, and cuts it into compressed chunks that fit one ConfigMap.</summary>
public static class AuditChunking
{
    /// <summary>The events continuing the run after <paramref name="highWaterMark"/>, without duplicates or gaps.</summary>
    public static IReadOnlyList<AuditRecord> ContiguousAfter(IReadOnlyList<AuditRecord> events, ulong highWaterMark)
    {
        if (IsContiguous(events))
        {
            // The normal case (the tenant sends its WAL in order): the run is a slice, no sort needed.
            if (events.Count == 0 || events[0].Sequence > highWaterMark + 1 || events[^1].Sequence <= highWaterMark)
            {
                return []; // all stored already, or a gap before the first
            }

            var start = (int)(highWaterMark + 1 - events[0].Sequence);
            if (start == 0)
            {
                return events; // the whole batch is new
            }

            var slice = new List<AuditRecord>(events.Count - start);
            for (var i = start; i < events.Count; i++)
            {
                slice.Add(events[i]);
            }

            return slice;
        }

        var run = new List<AuditRecord>();
        var next = highWaterMark + 1;
        foreach (var record in events.Where(e => e.Sequence > highWaterMark).OrderBy(e => e.Sequence))
        {
            if (record.Sequence == next)
            {
                run.Add(record);
                next++;
            }
            else if (record.Sequence > next)
            {
                break; // a gap: what follows waits for the tenant to resend in order
            }
        }

        return run;
    }

    private static bool IsContiguous(IReadOnlyList<AuditRecord> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].Sequence != events[i - 1].Sequence + 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The longest prefix of <paramref name="run"/> (at most <see cref="AuditChunkStore.MaxChunkEvents"/>) whose
    /// compressed payload fits <see cref="AuditChunkStore.MaxChunkBytes"/>, and that compressed payload.
    /// Audit events repeat most of their text, so a chunk usually holds the full event count; a prefix that does
    /// not fit is halved until it does.
    /// </summary>
    public static (IReadOnlyList<AuditRecord> Events, byte[] Payload) FirstChunk(IReadOnlyList<AuditRecord> run)
    {
        var count = Math.Min(run.Count, AuditChunkStore.MaxChunkEvents);
        while (true)
        {
            IReadOnlyList<AuditRecord> events = count == run.Count ? run : run.Take(count).ToList();
            var payload = Compress(events);
            if (payload.Length <= AuditChunkStore.MaxChunkBytes || count == 1)
            {
                return payload.Length <= AuditChunkStore.MaxChunkBytes
                    ? (events, payload)
                    : throw new InvalidDataException(
                        $"Audit event {events[0].Sequence} compresses to {payload.Length} bytes, over the {AuditChunkStore.MaxChunkBytes}-byte chunk limit; " +
                        "the tenant must not record events this large");
            }

            count /= 2;
        }
    }

    /// <summary>The compressed protobuf chunk payload of <paramref name="events"/> (<see cref="AuditChunkWriter"/>).</summary>
    public static byte[] Compress(IReadOnlyList<AuditRecord> events)
    {
        using var buffer = new MemoryStream();
        using (var compressor = AuditChunkCompression.Compress(buffer))
        {
            AuditChunkWriter.Write(events, compressor);
        }

        return buffer.ToArray();
    }
}
