using Conductor.Federation;
using Conductor.Federation.Protocol;
using Google.Protobuf;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// Writes audit events as the protobuf bytes of one <see cref="AuditEventBatch"/> (each event a length-delimited
/// field 1, exactly what the generated code writes), straight from the <see cref="AuditRecord"/>s: no message
/// objects are built, because the sink encodes every event it stores. Any protobuf reader with federation.proto
/// decodes a chunk (<c>protoc --decode=seam.federation.v1.AuditEventBatch</c> after decompressing).
/// </summary>
public static class AuditChunkWriter
{
    // Tag bytes: (field number << 3) | wire type (0 varint, 2 length-delimited).
    private const byte EventTag = 1 << 3 | 2;
    private const byte SequenceTag = 1 << 3;
    private const byte OccurredAtTag = 2 << 3 | 2;
    private const byte SecondsTag = 1 << 3;
    private const byte NanosTag = 2 << 3;
    private const byte ActorTag = 3 << 3 | 2;
    private const byte VerbTag = 4 << 3 | 2;
    private const byte ResourceTag = 5 << 3 | 2;
    private const byte NamespaceTag = 6 << 3 | 2;
    private const byte NameTag = 7 << 3 | 2;
    private const byte OutcomeTag = 8 << 3 | 2;
    private const byte MatchedPolicyTag = 9 << 3 | 2;
    private const byte DetailsTag = 10 << 3 | 2;
    private const byte MapKeyTag = 1 << 3 | 2;
    private const byte MapValueTag = 2 << 3 | 2;
    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private const int NanosPerTick = 100;

    // Fewer, larger writes into the compressor: each call into it has a fixed cost.
    private const int BufferBytes = 32 * 1024;

    public static void Write(IReadOnlyList<AuditRecord> events, Stream output)
    {
        using var coded = new CodedOutputStream(output, BufferBytes, leaveOpen: true);
        var entries = new List<(string Key, string Value, int Size)>();
        var encoded = new EncodedStrings();
        for (var i = 0; i < events.Count; i++)
        {
            Write(coded, events[i], entries, encoded);
        }
    }

    /// <param name="entries">scratch: the details with their sizes, so the (slow) dictionary is walked once.</param>
    /// <param name="encoded">the UTF-8 bytes of the fields that repeat from event to event.</param>
    private static void Write(CodedOutputStream coded, AuditRecord record, List<(string Key, string Value, int Size)> entries, EncodedStrings encoded)
    {
        var (seconds, nanos) = record.OccurredAt is { } at ? ToTimestamp(at) : (0, 0);
        var timestampSize = TimestampSize(seconds, nanos);
        coded.WriteRawTag(EventTag);
        coded.WriteLength(EventSize(record, timestampSize, entries, encoded));
        if (record.Sequence != 0)
        {
            coded.WriteRawTag(SequenceTag);
            coded.WriteUInt64(record.Sequence);
        }

        // Presence, not value, tells "no time" from the epoch: an absent field 2 reads back as null.
        if (record.OccurredAt is not null)
        {
            coded.WriteRawTag(OccurredAtTag);
            coded.WriteLength(timestampSize);
            if (seconds != 0)
            {
                coded.WriteRawTag(SecondsTag);
                coded.WriteInt64(seconds);
            }

            if (nanos != 0)
            {
                coded.WriteRawTag(NanosTag);
                coded.WriteInt32(nanos);
            }
        }

        WriteString(coded, ActorTag, record.Actor, encoded);
        WriteString(coded, VerbTag, record.Verb, encoded);
        WriteString(coded, ResourceTag, record.Resource, encoded);
        WriteString(coded, NamespaceTag, record.Namespace, encoded);
        WriteString(coded, NameTag, record.Name);
        WriteString(coded, OutcomeTag, record.Outcome, encoded);
        WriteString(coded, MatchedPolicyTag, record.MatchedPolicy, encoded);
        foreach (var (key, value, size) in entries)
        {
            coded.WriteRawTag(DetailsTag);
            coded.WriteLength(size);
            WriteString(coded, MapKeyTag, key, encoded);
            WriteString(coded, MapValueTag, value);
        }
    }

    private static int EventSize(AuditRecord record, int timestampSize, List<(string Key, string Value, int Size)> entries, EncodedStrings encoded)
    {
        entries.Clear();
        var size = record.Sequence == 0 ? 0 : 1 + CodedOutputStream.ComputeUInt64Size(record.Sequence);
        size += record.OccurredAt is null ? 0 : 1 + CodedOutputStream.ComputeLengthSize(timestampSize) + timestampSize;
        size += StringSize(record.Actor, encoded) + StringSize(record.Verb, encoded) + StringSize(record.Resource, encoded)
            + StringSize(record.Namespace, encoded) + StringSize(record.Name) + StringSize(record.Outcome, encoded)
            + StringSize(record.MatchedPolicy, encoded);
        if (record.Details is { } details)
        {
            foreach (var (key, value) in details)
            {
                // A map entry leaves an empty key or value out, as the generated code does; a reader defaults it to "".
                var entry = StringSize(key, encoded) + StringSize(value);
                entries.Add((key, value, entry));
                size += 1 + CodedOutputStream.ComputeLengthSize(entry) + entry;
            }
        }

        return size;
    }

    // proto3 leaves empty strings out; a null (never produced by the wire mapping) is stored as empty.
    private static int StringSize(string? value) =>
        string.IsNullOrEmpty(value) ? 0 : 1 + CodedOutputStream.ComputeStringSize(value);

    private static int StringSize(string? value, EncodedStrings encoded) =>
        string.IsNullOrEmpty(value) ? 0 : 1 + CodedOutputStream.ComputeBytesSize(encoded.Get(value));

    private static void WriteString(CodedOutputStream coded, byte tag, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            coded.WriteRawTag(tag);
            coded.WriteString(value);
        }
    }

    // A string field and a bytes field are the same on the wire: length and UTF-8 bytes.
    private static void WriteString(CodedOutputStream coded, byte tag, string? value, EncodedStrings encoded)
    {
        if (!string.IsNullOrEmpty(value))
        {
            coded.WriteRawTag(tag);
            coded.WriteBytes(encoded.Get(value));
        }
    }

    private static int TimestampSize(long seconds, int nanos) =>
        (seconds == 0 ? 0 : 1 + CodedOutputStream.ComputeInt64Size(seconds)) + (nanos == 0 ? 0 : 1 + CodedOutputStream.ComputeInt32Size(nanos));

    /// <summary>google.protobuf.Timestamp of the instant: whole seconds since the epoch (floored) and 0..999,999,900 nanos.</summary>
    private static (long Seconds, int Nanos) ToTimestamp(DateTimeOffset at)
    {
        var seconds = Math.DivRem(at.UtcTicks - UnixEpochTicks, TimeSpan.TicksPerSecond, out var ticks);
        return ticks < 0 ? (seconds - 1, (int)(ticks + TimeSpan.TicksPerSecond) * NanosPerTick) : (seconds, (int)ticks * NanosPerTick);
    }
}
