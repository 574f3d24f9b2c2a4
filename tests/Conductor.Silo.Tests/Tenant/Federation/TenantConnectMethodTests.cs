using System.Buffers;
using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Tenant.Federation;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Conductor.Silo.Tests.Tenant.Federation;

/// <summary>
/// The pre-encoded audit batch must be, to management, exactly the Envelope the tenant used to build by parsing each
/// WAL payload into an AuditEvent, setting its sequence and serializing the whole envelope again.
/// </summary>
public sealed class TenantConnectMethodTests
{
    private static readonly Timestamp Time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 27, 21, 15, 30, 123, TimeSpan.Zero));

    public static TheoryData<int, ulong> Sizes => new()
    {
        { 1, 1 },
        { 2, 127 }, // the sequence varint grows from one byte to two inside the batch
        { 17, 16_380 },
        { 500, 1 },
        { 3, ulong.MaxValue - 2 }, // ten-byte varints
        { 40, (1UL << 35) - 20 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Serializer_AuditBatchFromWalRecords_ParsesToTheEnvelopeTheParsedEventsMake(int count, ulong firstSequence)
    {
        var records = Enumerable.Range(0, count).Select(i => Record(firstSequence + (ulong)i, Event(i))).ToList();

        AssertSameEnvelope(records, sequence: 4_242, clusterId: "tenant-ä-ß-東京");
    }

    [Fact]
    public void Serializer_EmptyEventAndHeaderFields_ParsesToTheEnvelopeTheParsedEventsMake()
    {
        // An all-default event serializes to no bytes at all; only the appended sequence makes it non-empty.
        var records = new List<AuditWalRecord> { Record(1, new AuditEvent()), Record(2, Event(3)), Record(3, new AuditEvent { Actor = "" }) };

        AssertSameEnvelope(records, sequence: 1, clusterId: "");
    }

    [Fact]
    public void Serializer_LargeEventsWithDetails_ParsesToTheEnvelopeTheParsedEventsMake()
    {
        var big = Event(1);
        big.Name = new string('n', 70_000); // multi-byte length prefixes at both levels
        for (var i = 0; i < 50; i++)
        {
            big.Details[$"key-{i}-ü"] = new string('v', i * 31) + "—✓";
        }

        AssertSameEnvelope([Record(9, big), Record(10, Event(2)), Record(11, big)], sequence: ulong.MaxValue, clusterId: "c");
    }

    [Fact]
    public void Serializer_OrdinaryEnvelope_WritesItsOwnBytes()
    {
        var envelope = new Envelope { Type = MessageType.HeartBeat, Sequence = 7, ClusterId = "c1", Timestamp = Time, HeartBeat = new HeartBeat { IsAck = true, AckedSequence = 6 } };

        var bytes = Serialize(envelope);

        Assert.Equal(envelope.ToByteArray(), bytes);
    }

    [Fact]
    public void Serializer_AuditBatchWhoseHeaderCarriesAPayload_ThrowsNamingThePayload()
    {
        var outbound = OutboundEnvelope.AuditBatch([Record(1, Event(1))]);
        outbound.Header.HeartBeat = new HeartBeat();

        var error = Assert.ThrowsAny<Exception>(() => Serialize(outbound));

        Assert.Contains("HeartBeat", error.ToString(), StringComparison.Ordinal);
    }

    private static void AssertSameEnvelope(List<AuditWalRecord> records, ulong sequence, string clusterId)
    {
        var outbound = OutboundEnvelope.AuditBatch(records);
        Stamp(outbound.Header, sequence, clusterId);
        var expected = new Envelope { Type = MessageType.AuditEventBatch, AuditEventBatch = new AuditEventBatch() };
        foreach (var record in records)
        {
            var parsed = AuditEvent.Parser.ParseFrom(record.Payload.Span);
            parsed.Sequence = record.Sequence;
            expected.AuditEventBatch.Events.Add(parsed);
        }

        Stamp(expected, sequence, clusterId);

        var bytes = Serialize(outbound);

        Assert.Equal(expected, Envelope.Parser.ParseFrom(bytes));
        Assert.Equal(expected.CalculateSize(), bytes.Length);
    }

    /// <summary>Runs the request marshaller the way gRPC does; fails when it writes other than the length it declared.</summary>
    private static byte[] Serialize(OutboundEnvelope envelope)
    {
        var context = new RecordingContext();
        TenantConnectMethod.Connect.RequestMarshaller.ContextualSerializer(envelope, context);
        Assert.True(context.Completed, "the marshaller did not complete");
        Assert.Equal(context.DeclaredLength, context.Buffer.WrittenCount);
        return context.Buffer.WrittenSpan.ToArray();
    }

    private static void Stamp(Envelope envelope, ulong sequence, string clusterId)
    {
        envelope.Sequence = sequence;
        envelope.ClusterId = clusterId;
        envelope.Timestamp = Time;
    }

    private static AuditWalRecord Record(ulong sequence, AuditEvent auditEvent) => new(sequence, auditEvent.ToByteArray());

    private static AuditEvent Event(int i)
    {
        var auditEvent = new AuditEvent
        {
            OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i)),
            Actor = "system:serviceaccount:ont-system:conductor",
            Verb = "update",
            Resource = "configmaps",
            Namespace = i % 2 == 0 ? "default" : "",
            Name = $"item-{i}-ünïcødé-日本",
            Outcome = "allowed",
            MatchedPolicy = i % 3 == 0 ? "" : "cluster-policy",
        };
        if (i % 4 == 1)
        {
            auditEvent.Details["reason"] = $"because {i}";
            auditEvent.Details["emoji"] = "🔒";
        }

        return auditEvent;
    }

    private sealed class RecordingContext : SerializationContext
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new();

        public int DeclaredLength { get; private set; } = -1;

        public bool Completed { get; private set; }

        public override void SetPayloadLength(int payloadLength) => DeclaredLength = payloadLength;

        public override IBufferWriter<byte> GetBufferWriter() => Buffer;

        public override void Complete() => Completed = true;

        public override void Complete(byte[] payload) => throw new InvalidOperationException("The marshaller is expected to write through the buffer writer");
    }
}
