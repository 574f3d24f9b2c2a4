using System.Buffers;
using System.Collections.Immutable;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Parses an inbound <see cref="Envelope"/>'s wire bytes. An audit batch, nearly all of what tenants send, becomes
/// <see cref="AuditRecord"/>s straight from the bytes: no AuditEvent, Timestamp or MapField objects, and the short
/// fields that repeat from event to event come from <see cref="RepeatedStrings"/> without a new string. Anything
/// else (heartbeats, validation requests, acks, an envelope whose payload changes case) goes to the generated parser.
/// The result is what the generated parser and <c>FederationMapping.ToDomain</c> give: last value of a field wins,
/// repeated batches and occurred_at merge, absent fields are empty, an empty details map is null, unknown fields are
/// skipped. Whatever the generated parser would refuse, or a timestamp it could not convert, is refused with an
/// <see cref="EnvelopeRefusedException"/> naming the rule.
/// </summary>
internal static class InboundEnvelopeParser
{
    // Tags: (field number << 3) | wire type (0 varint, 2 length-delimited), from the generated field numbers.
    private const uint Varint = 0;
    private const uint Delimited = 2;
    private const uint TypeTag = Envelope.TypeFieldNumber << 3 | Varint;
    private const uint SequenceTag = Envelope.SequenceFieldNumber << 3 | Varint;
    private const uint ClusterIdTag = Envelope.ClusterIdFieldNumber << 3 | Delimited;
    private const uint TimestampTag = Envelope.TimestampFieldNumber << 3 | Delimited;
    private const uint AuditEventBatchTag = Envelope.AuditEventBatchFieldNumber << 3 | Delimited;
    private const uint FirstPayloadTag = Envelope.RunnerConfigValidationRequestFieldNumber << 3;
    private const uint PastPayloadTag = (Envelope.PermissionSnapshotAckFieldNumber + 1) << 3;
    private const uint EventsTag = AuditEventBatch.EventsFieldNumber << 3 | Delimited;
    private const uint EventSequenceTag = AuditEvent.SequenceFieldNumber << 3 | Varint;
    private const uint OccurredAtTag = AuditEvent.OccurredAtFieldNumber << 3 | Delimited;
    private const uint ActorTag = AuditEvent.ActorFieldNumber << 3 | Delimited;
    private const uint VerbTag = AuditEvent.VerbFieldNumber << 3 | Delimited;
    private const uint ResourceTag = AuditEvent.ResourceFieldNumber << 3 | Delimited;
    private const uint NamespaceTag = AuditEvent.NamespaceFieldNumber << 3 | Delimited;
    private const uint NameTag = AuditEvent.NameFieldNumber << 3 | Delimited;
    private const uint OutcomeTag = AuditEvent.OutcomeFieldNumber << 3 | Delimited;
    private const uint MatchedPolicyTag = AuditEvent.MatchedPolicyFieldNumber << 3 | Delimited;
    private const uint DetailsTag = AuditEvent.DetailsFieldNumber << 3 | Delimited;
    private const uint SecondsTag = Timestamp.SecondsFieldNumber << 3 | Varint;
    private const uint NanosTag = Timestamp.NanosFieldNumber << 3 | Varint;
    private const uint MapKeyTag = 1 << 3 | Delimited; // a map entry's key and value are fields 1 and 2
    private const uint MapValueTag = 2 << 3 | Delimited;

    // Depth of each message as Google.Protobuf counts it (the envelope is 0), for the recursion limit on groups.
    private const int BatchDepth = 1; // and the envelope's timestamp
    private const int EventDepth = 2;
    private const int FieldMessageDepth = 3;

    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private const long MinSeconds = -62_135_596_800; // 0001-01-01T00:00:00Z
    private const long MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
    private const int MaxNanos = 999_999_999;
    private const int NanosPerTick = 100;

    /// <summary>Shared by every stream: the values repeat across tenants as much as across events.</summary>
    private static readonly RepeatedStrings Shared = new();

    public static InboundEnvelope Parse(ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return Parse(payload.FirstSpan, Shared);
        }

        // The reader needs one span; a message split over pipe segments is copied once.
        var length = checked((int)payload.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(rented);
            return Parse(rented.AsSpan(0, length), Shared);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static InboundEnvelope Parse(ReadOnlySpan<byte> bytes, RepeatedStrings strings)
    {
        var reader = new WireReader(bytes);
        var header = new Envelope();
        var events = new EventList();
        var isAuditBatch = false;
        while (reader.ReadTag() is var tag and not 0)
        {
            switch (tag)
            {
                case TypeTag:
                    header.Type = (MessageType)(int)reader.ReadVarint64();
                    break;
                case SequenceTag:
                    header.Sequence = reader.ReadVarint64();
                    break;
                case ClusterIdTag:
                    header.ClusterId = reader.ReadString();
                    break;
                case TimestampTag:
                    var (seconds, nanos) = header.Timestamp is { } stamped ? (stamped.Seconds, stamped.Nanos) : (0L, 0);
                    ReadTimestamp(reader.ReadLengthDelimited(), BatchDepth, ref seconds, ref nanos);
                    header.Timestamp = new Timestamp { Seconds = seconds, Nanos = nanos };
                    break;
                case AuditEventBatchTag:
                    // A repeated field 12 merges into one batch, as the generated code does.
                    isAuditBatch = true;
                    ReadBatch(reader.ReadLengthDelimited(), ref events, strings);
                    break;
                case >= FirstPayloadTag and < PastPayloadTag when (tag & 7) == Delimited:
                    return Generated(bytes); // another payload case: the generated parser has its message
                default:
                    reader.SkipField(tag, 0);
                    break;
            }
        }

        if (!isAuditBatch)
        {
            return Generated(bytes);
        }

        header.AuditEventBatch = new AuditEventBatch();
        return new InboundEnvelope(header, events.ToArray());
    }

    internal static EnvelopeRefusedException TimestampOutOfRange(ulong sequence, long seconds, int nanos) =>
        new($"audit event {sequence}: occurred_at ({seconds} s, {nanos} ns) is outside 0001-01-01..9999-12-31 or its nanos outside 0..{MaxNanos}");

    /// <summary>Every other envelope: its payload is the generated message the gateway dispatches on.</summary>
    private static InboundEnvelope Generated(ReadOnlySpan<byte> bytes)
    {
        Envelope envelope;
        try
        {
            envelope = Envelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new EnvelopeRefusedException(e.Message);
        }

        return InboundEnvelope.From(envelope);
    }

    private static void ReadBatch(ReadOnlySpan<byte> bytes, ref EventList events, RepeatedStrings strings)
    {
        var reader = new WireReader(bytes);
        events.Reserve(bytes);
        while (reader.ReadTag() is var tag and not 0)
        {
            if (tag == EventsTag)
            {
                events.Add(ReadEvent(reader.ReadLengthDelimited(), strings));
            }
            else
            {
                reader.SkipField(tag, BatchDepth);
            }
        }
    }

    private static AuditRecord ReadEvent(ReadOnlySpan<byte> bytes, RepeatedStrings strings)
    {
        var reader = new WireReader(bytes);
        ulong sequence = 0;
        var (hasTime, seconds, nanos) = (false, 0L, 0);
        string actor = "", verb = "", resource = "", @namespace = "", name = "", outcome = "", policy = "";
        ImmutableDictionary<string, string>.Builder? details = null;
        while (reader.ReadTag() is var tag and not 0)
        {
            switch (tag)
            {
                case EventSequenceTag:
                    sequence = reader.ReadVarint64();
                    break;
                case OccurredAtTag:
                    hasTime = true;
                    ReadTimestamp(reader.ReadLengthDelimited(), FieldMessageDepth, ref seconds, ref nanos);
                    break;
                case ActorTag:
                    actor = reader.ReadString(strings);
                    break;
                case VerbTag:
                    verb = reader.ReadString(strings);
                    break;
                case ResourceTag:
                    resource = reader.ReadString(strings);
                    break;
                case NamespaceTag:
                    @namespace = reader.ReadString(strings);
                    break;
                case NameTag:
                    name = reader.ReadString(); // unique per event: caching it would only evict the values that repeat
                    break;
                case OutcomeTag:
                    outcome = reader.ReadString(strings);
                    break;
                case MatchedPolicyTag:
                    policy = reader.ReadString(strings);
                    break;
                case DetailsTag:
                    var (key, value) = ReadDetail(reader.ReadLengthDelimited(), strings);
                    (details ??= ImmutableDictionary.CreateBuilder<string, string>())[key] = value; // a later key wins, as in MapField
                    break;
                default:
                    reader.SkipField(tag, EventDepth);
                    break;
            }
        }

        return new AuditRecord(sequence, hasTime ? ToInstant(sequence, seconds, nanos) : null, actor, verb, resource, @namespace, name,
            outcome, policy, details?.ToImmutable());
    }

    private static (string Key, string Value) ReadDetail(ReadOnlySpan<byte> bytes, RepeatedStrings strings)
    {
        var reader = new WireReader(bytes);
        string key = "", value = "";
        while (reader.ReadTag() is var tag and not 0)
        {
            switch (tag)
            {
                case MapKeyTag:
                    key = reader.ReadString(strings);
                    break;
                case MapValueTag:
                    value = reader.ReadString();
                    break;
                default:
                    // A map entry skips with SkipLastField, which counts a group one level deeper than a message does.
                    reader.SkipField(tag, FieldMessageDepth + 1);
                    break;
            }
        }

        return (key, value);
    }

    /// <summary>
    /// Merges a google.protobuf.Timestamp into <paramref name="seconds"/> and <paramref name="nanos"/>; <paramref name="depth"/>
    /// is the timestamp's own (the envelope's is one level down, an event's three).
    /// </summary>
    private static void ReadTimestamp(ReadOnlySpan<byte> bytes, int depth, ref long seconds, ref int nanos)
    {
        var reader = new WireReader(bytes);
        while (reader.ReadTag() is var tag and not 0)
        {
            switch (tag)
            {
                case SecondsTag:
                    seconds = (long)reader.ReadVarint64();
                    break;
                case NanosTag:
                    nanos = (int)reader.ReadVarint64();
                    break;
                default:
                    reader.SkipField(tag, depth);
                    break;
            }
        }
    }

    /// <summary>What <c>Timestamp.ToDateTimeOffset</c> gives, refusing what it would throw on.</summary>
    private static DateTimeOffset ToInstant(ulong sequence, long seconds, int nanos) =>
        seconds is >= MinSeconds and <= MaxSeconds && nanos is >= 0 and <= MaxNanos
            ? new DateTimeOffset(UnixEpochTicks + (seconds * TimeSpan.TicksPerSecond) + (nanos / NanosPerTick), TimeSpan.Zero)
            : throw TimestampOutOfRange(sequence, seconds, nanos);

    /// <summary>The batch's records, in one array sized by a first look at the batch.</summary>
    private struct EventList
    {
        private AuditRecord[]? _items;
        private int _count;

        public void Reserve(ReadOnlySpan<byte> batch)
        {
            var needed = _count + CountEvents(batch);
            if (needed > (_items?.Length ?? 0))
            {
                Array.Resize(ref _items, needed);
            }
        }

        public void Add(AuditRecord record)
        {
            if (_items is null || _count == _items.Length)
            {
                Array.Resize(ref _items, Math.Max(4, _count * 2));
            }

            _items[_count++] = record;
        }

        public readonly AuditRecord[] ToArray() =>
            _items is null ? [] : _count == _items.Length ? _items : _items[.._count];

        /// <summary>The leading run of event fields: exact for what tenants send, a hint for anything else.</summary>
        private static int CountEvents(ReadOnlySpan<byte> batch)
        {
            var count = 0;
            var reader = new WireReader(batch);
            try
            {
                while (!reader.AtEnd && reader.ReadTag() == EventsTag)
                {
                    reader.ReadLengthDelimited();
                    count++;
                }
            }
            catch (EnvelopeRefusedException)
            {
                // The real read refuses it and says why.
            }

            return count;
        }
    }
}
