using System.IO.Compression;
using System.Text.Json;
using Conductor.Federation;

namespace Conductor.Grains.Federation.Storage;

/// <summary>Picks what a batch adds to the stored run, and cuts it into compressed chunks that fit one ConfigMap.</summary>
public static class AuditChunking
{
    private const int FlushBytes = 32 * 1024;

    // The writes below are well-formed by construction; checking each one costs per event and changes no byte.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private static readonly JsonEncodedText SequenceName = JsonEncodedText.Encode("sequence");
    private static readonly JsonEncodedText OccurredAtName = JsonEncodedText.Encode("occurredAt");
    private static readonly JsonEncodedText ActorName = JsonEncodedText.Encode("actor");
    private static readonly JsonEncodedText VerbName = JsonEncodedText.Encode("verb");
    private static readonly JsonEncodedText ResourceName = JsonEncodedText.Encode("resource");
    private static readonly JsonEncodedText NamespaceName = JsonEncodedText.Encode("namespace");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText OutcomeName = JsonEncodedText.Encode("outcome");
    private static readonly JsonEncodedText MatchedPolicyName = JsonEncodedText.Encode("matchedPolicy");
    private static readonly JsonEncodedText DetailsName = JsonEncodedText.Encode("details");

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
    /// gzip-compressed JSON array fits <see cref="AuditChunkStore.MaxChunkBytes"/>, and that compressed payload.
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

    /// <summary>
    /// The gzip-compressed JSON array of <paramref name="events"/>, written field by field: the same bytes
    /// <see cref="JsonSerializer"/> writes with <see cref="AuditChunkStore.Json"/> (web defaults), at a fraction of
    /// the cost, because the sink encodes every event it stores.
    /// </summary>
    public static byte[] Compress(IReadOnlyList<AuditRecord> events)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new Utf8JsonWriter(gzip, WriterOptions))
        {
            writer.WriteStartArray();
            for (var i = 0; i < events.Count; i++)
            {
                Write(writer, events[i]);
                if (writer.BytesPending >= FlushBytes)
                {
                    writer.Flush();
                }
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }

    public static List<AuditRecord> Decompress(byte[] payload)
    {
        using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<List<AuditRecord>>(gzip, AuditChunkStore.Json) ?? [];
    }

    private static void Write(Utf8JsonWriter writer, AuditRecord record)
    {
        writer.WriteStartObject();
        writer.WriteNumber(SequenceName, record.Sequence);
        if (record.OccurredAt is { } occurredAt)
        {
            writer.WriteString(OccurredAtName, occurredAt);
        }
        else
        {
            writer.WriteNull(OccurredAtName);
        }

        writer.WriteString(ActorName, record.Actor);
        writer.WriteString(VerbName, record.Verb);
        writer.WriteString(ResourceName, record.Resource);
        writer.WriteString(NamespaceName, record.Namespace);
        writer.WriteString(NameName, record.Name);
        writer.WriteString(OutcomeName, record.Outcome);
        writer.WriteString(MatchedPolicyName, record.MatchedPolicy);
        if (record.Details is { } details)
        {
            writer.WriteStartObject(DetailsName);
            foreach (var (key, value) in details)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull(DetailsName);
        }

        writer.WriteEndObject();
    }
}
