using System.Buffers;
using System.Numerics;
using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.AuditWal;
using Google.Protobuf;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// Encodes an audit-batch <see cref="Envelope"/> from WAL records without building <see cref="AuditEvent"/> objects.
/// A WAL payload is a serialized AuditEvent whose sequence is 0, which proto3 leaves out. Protobuf accepts fields in
/// any order and the last value of a scalar wins, so the payload followed by field 1 (the sequence) is a valid
/// AuditEvent carrying that sequence; and a repeated message field is on the wire just (tag, length, bytes) per
/// element. The envelope is therefore: the header fields as the Envelope itself writes them, then field 12
/// (audit_event_batch) holding one field-1 (events) element per record.
/// </summary>
internal static class WalAuditBatchEncoding
{
    private const byte EventsTag = (1 << 3) | 2; // AuditEventBatch.events, length-delimited
    private const byte SequenceTag = 1 << 3; // AuditEvent.sequence, varint
    private const int BatchField = Envelope.AuditEventBatchFieldNumber;

    public static int CalculateSize(Envelope header, IReadOnlyList<AuditWalRecord> records)
    {
        var batch = BatchSize(records);
        return header.CalculateSize() + CodedOutputStream.ComputeTagSize(BatchField) + CodedOutputStream.ComputeLengthSize(batch) + batch;
    }

    /// <summary>Writes the envelope; <paramref name="header"/> must carry no payload (the batch is the payload).</summary>
    public static void WriteTo(Envelope header, IReadOnlyList<AuditWalRecord> records, IBufferWriter<byte> writer)
    {
        if (header.PayloadCase != Envelope.PayloadOneofCase.None)
        {
            throw new ArgumentException($"An audit batch header must carry no payload, not {header.PayloadCase}", nameof(header));
        }

        header.WriteTo(writer);
        WriteVarint(writer, WireFormat.MakeTag(BatchField, WireFormat.WireType.LengthDelimited));
        WriteVarint(writer, (uint)BatchSize(records));
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var payload = record.Payload.Span;
            writer.GetSpan(1)[0] = EventsTag;
            writer.Advance(1);
            WriteVarint(writer, (uint)EventSize(record));
            payload.CopyTo(writer.GetSpan(payload.Length));
            writer.Advance(payload.Length);
            writer.GetSpan(1)[0] = SequenceTag;
            writer.Advance(1);
            WriteVarint(writer, record.Sequence);
        }
    }

    private static int BatchSize(IReadOnlyList<AuditWalRecord> records)
    {
        var size = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var eventSize = EventSize(records[i]);
            size += 1 + CodedOutputStream.ComputeLengthSize(eventSize) + eventSize;
        }

        return size;
    }

    private static int EventSize(AuditWalRecord record) => record.Payload.Length + 1 + VarintSize(record.Sequence);

    private static int VarintSize(ulong value) => value == 0 ? 1 : (BitOperations.Log2(value) / 7) + 1;

    private static void WriteVarint(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        writer.Advance(length);
    }
}
