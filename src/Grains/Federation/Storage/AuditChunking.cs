using System.Text.Json;
using Conductor.Federation;

namespace Conductor.Grains.Federation.Storage;

/// <summary>Picks what a batch adds to the stored run, and cuts it into chunks that fit one ConfigMap.</summary>
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

    /// <summary>The longest prefix of <paramref name="run"/> that fits one chunk, and its JSON.</summary>
    public static (List<AuditRecord> Events, byte[] Json) FirstChunk(IReadOnlyList<AuditRecord> run)
    {
        var parts = new List<byte[]>();
        var bytes = 2; // the brackets
        foreach (var record in run.Take(AuditChunkStore.MaxChunkEvents))
        {
            var part = JsonSerializer.SerializeToUtf8Bytes(record, AuditChunkStore.Json);
            if (parts.Count > 0 && bytes + part.Length + 1 > AuditChunkStore.MaxChunkBytes)
            {
                break;
            }

            parts.Add(part);
            bytes += part.Length + (parts.Count > 1 ? 1 : 0);
        }

        var json = new byte[bytes];
        json[0] = (byte)'[';
        var offset = 1;
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                json[offset++] = (byte)',';
            }

            parts[i].CopyTo(json, offset);
            offset += parts[i].Length;
        }

        json[offset] = (byte)']';
        return ([.. run.Take(parts.Count)], json);
    }
}
