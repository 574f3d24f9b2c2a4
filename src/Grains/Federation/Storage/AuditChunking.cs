using System.IO.Compression;
using System.Text.Json;
using Conductor.Federation;

namespace Conductor.Grains.Federation.Storage;

/// <summary>Picks what a batch adds to the stored run, and cuts it into compressed chunks that fit one ConfigMap.</summary>
public static class AuditChunking
{
    /// <summary>The events continuing the run after <paramref name="highWaterMark"/>, without duplicates or gaps.</summary>
    public static List<AuditRecord> ContiguousAfter(IEnumerable<AuditRecord> events, ulong highWaterMark)
    {
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

    /// <summary>
    /// The longest prefix of <paramref name="run"/> (at most <see cref="AuditChunkStore.MaxChunkEvents"/>) whose
    /// gzip-compressed JSON array fits <see cref="AuditChunkStore.MaxChunkBytes"/>, and that compressed payload.
    /// Audit events repeat most of their text, so a chunk usually holds the full event count; a prefix that does
    /// not fit is halved until it does.
    /// </summary>
    public static (List<AuditRecord> Events, byte[] Payload) FirstChunk(IReadOnlyList<AuditRecord> run)
    {
        var count = Math.Min(run.Count, AuditChunkStore.MaxChunkEvents);
        while (true)
        {
            var events = run.Take(count).ToList();
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

    public static byte[] Compress(IReadOnlyList<AuditRecord> events)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, events, AuditChunkStore.Json);
        }

        return buffer.ToArray();
    }

    public static List<AuditRecord> Decompress(byte[] payload)
    {
        using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<List<AuditRecord>>(gzip, AuditChunkStore.Json) ?? [];
    }
}
