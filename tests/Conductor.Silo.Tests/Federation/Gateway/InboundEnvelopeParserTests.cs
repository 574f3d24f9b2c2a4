using System.Buffers;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.Gateway;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Conductor.Silo.Tests.Federation.Gateway;

/// <summary>
/// The gateway's parser against the reference it replaces: Google.Protobuf's generated Envelope parser followed by
/// the domain mapping (<see cref="InboundEnvelope.From"/>). Both must accept the same bytes with the same result and
/// refuse the same bytes, and the parser may throw nothing but its own refusal.
/// </summary>
public sealed class InboundEnvelopeParserTests
{
    public static TheoryData<string, byte[]> Envelopes() => new()
    {
        { "audit batch, every field", Rich().ToByteArray() },
        { "audit batch, empty", new Envelope { Type = MessageType.AuditEventBatch, Sequence = 3, AuditEventBatch = new AuditEventBatch() }.ToByteArray() },
        { "audit batch, events with nothing but a sequence", Batch(new AuditEvent { Sequence = 7 }, new AuditEvent()).ToByteArray() },
        { "audit batch, timestamps at the edges", Batch(
            new AuditEvent { Sequence = 1, OccurredAt = new Timestamp() },
            new AuditEvent { Sequence = 2, OccurredAt = new Timestamp { Seconds = -62_135_596_800 } },
            new AuditEvent { Sequence = 3, OccurredAt = new Timestamp { Seconds = 253_402_300_799, Nanos = 999_999_999 } },
            new AuditEvent { Sequence = 4, OccurredAt = new Timestamp { Seconds = -1, Nanos = 1 } }).ToByteArray() },
        { "heartbeat", Header(MessageType.HeartBeat, e => e.HeartBeat = new HeartBeat()).ToByteArray() },
        { "heartbeat ack", Header(MessageType.HeartBeat, e => e.HeartBeat = new HeartBeat { IsAck = true, AckedSequence = 9 }).ToByteArray() },
        { "validation request", Header(MessageType.RunnerConfigValidationRequest, e => e.RunnerConfigValidationRequest =
            new RunnerConfigValidationRequest { RequestId = "r", Namespace = "ns", Name = "n", SpecJson = "{}" }).ToByteArray() },
        { "validation response", Header(MessageType.RunnerConfigValidationResponse, e => e.RunnerConfigValidationResponse =
            new RunnerConfigValidationResponse { RequestId = "r", Reasons = { new ValidationReason { Field = "f", Rule = "r", Message = "m" } } }).ToByteArray() },
        { "audit ack", Header(MessageType.AuditEventAck, e => e.AuditEventAck = new AuditEventAck { AckedSequence = 5 }).ToByteArray() },
        { "revocation push", Header(MessageType.RevocationPush, e => e.RevocationPush =
            new RevocationPush { Kind = RevocationKind.PackInstalled, Name = "p", RevokedAt = new Timestamp { Seconds = 5 } }).ToByteArray() },
        { "snapshot push", Header(MessageType.PermissionSnapshotPush, e => e.PermissionSnapshotPush = new PermissionSnapshotPush { Name = "s" }).ToByteArray() },
        { "snapshot ack", Header(MessageType.PermissionSnapshotAck, e => e.PermissionSnapshotAck = new PermissionSnapshotAck { Name = "s", Verified = true }).ToByteArray() },
        { "header only", Header(MessageType.HeartBeat, _ => { }).ToByteArray() },
        { "nothing", [] },
        { "unknown fields at every level", WithUnknownFields() },
        { "repeated fields: later scalars win, batches and timestamps merge, later map keys win", Repeated() },
        { "known field numbers with other wire types are unknown fields", [.. W.Field(2, 2, W.Bytes("x")), .. W.Field(12, 0, W.Varint(1)), .. Rich().ToByteArray()] },
        { "payload switches away from the batch", [.. Rich().ToByteArray(), .. W.Message(15, W.Field(1, 0, W.Varint(1)))] },
        { "payload switches to a batch", [.. W.Message(15, W.Field(1, 0, W.Varint(1))), .. W.Message(12, W.Message(1, W.Field(1, 0, W.Varint(4))))] },
        { "32-bit fields take the low bits of a long varint", [.. W.Field(1, 0, W.Varint(0x1_0000_0003)), .. W.Message(12, W.Message(1,
            W.Message(2, [.. W.Field(2, 0, W.Varint(0xFFFF_FFFF_0000_0007))])))] },
        { "ten-byte tag", [0x88, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x03] },
        { "invalid UTF-8 in a repeated field", Batch(new AuditEvent()).ToByteArray().Concat(W.Message(12, W.Message(1, W.Field(3, 2, [0x02, 0xC3, 0x28])))).ToArray() },
        { "invalid UTF-8 in the name", W.Message(12, W.Message(1, W.Field(7, 2, [0x01, 0xFF]))) },
        { "invalid UTF-8 in a detail value", W.Message(12, W.Message(1, W.Message(10, W.Field(2, 2, [0x01, 0x80])))) },
        { "timestamp out of range", Batch(new AuditEvent { Sequence = 1, OccurredAt = new Timestamp { Seconds = 253_402_300_800 } }).ToByteArray() },
        { "timestamp nanos negative", Batch(new AuditEvent { Sequence = 1, OccurredAt = new Timestamp { Nanos = -1 } }).ToByteArray() },
        { "end-group tag without a start", W.Message(12, W.Message(1, [0x0C])) },
        { "group closed by another field's end tag", W.Message(12, [0x1B, 0x08, 0x01, 0x24]) },
        { "groups nested past the limit", W.Message(12, [.. Enumerable.Repeat((byte)0x1B, 100), .. Enumerable.Repeat((byte)0x1C, 100)]) },
        { "groups nested to the limit", W.Message(12, [.. Enumerable.Repeat((byte)0x1B, 99), .. Enumerable.Repeat((byte)0x1C, 99)]) },
        { "groups nested past the limit in the envelope's timestamp", [.. W.Message(4, [.. Enumerable.Repeat((byte)0x1B, 100), .. Enumerable.Repeat((byte)0x1C, 100)]),
            .. W.Message(12, W.Message(1, W.Field(1, 0, W.Varint(1))))] },
        { "groups nested to the limit in the envelope's timestamp", [.. W.Message(4, [.. Enumerable.Repeat((byte)0x1B, 99), .. Enumerable.Repeat((byte)0x1C, 99)]),
            .. W.Message(12, W.Message(1, W.Field(1, 0, W.Varint(1))))] },
        { "groups nested to the limit in an event's timestamp", W.Message(12, W.Message(1, W.Message(2, [.. Enumerable.Repeat((byte)0x1B, 97), .. Enumerable.Repeat((byte)0x1C, 97)]))) },
        { "groups nested past the limit in an event's timestamp", W.Message(12, W.Message(1, W.Message(2, [.. Enumerable.Repeat((byte)0x1B, 98), .. Enumerable.Repeat((byte)0x1C, 98)]))) },
        { "wire type 7", [0x0F] },
        { "field number 0", [0x02, 0x00] },
        { "varint of eleven bytes", [0x10, .. Enumerable.Repeat((byte)0xFF, 10), 0x01] },
        { "negative length", [0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F] },
    };

    [Theory]
    [MemberData(nameof(Envelopes))]
    public void Parse_Envelope_SameAsGeneratedParserAndMapping(string name, byte[] bytes)
    {
        Assert.True(AssertSameOutcome(bytes) || !name.StartsWith("audit batch", StringComparison.Ordinal), $"{name}: refused");
    }

    [Fact]
    public void Parse_EveryTruncationOfAValidEnvelope_RefusedOrSameAsGenerated()
    {
        var bytes = WithUnknownFields();

        var refused = Enumerable.Range(0, bytes.Length).Count(length => !AssertSameOutcome(bytes[..length]));

        Assert.True(refused > bytes.Length / 2, $"only {refused} of {bytes.Length} truncations refused"); // most cut a field short
    }

    [Fact]
    public void Parse_RandomCorruptions_OnlyEverRefusesAndAgreesWithGenerated()
    {
        var random = new Random(20261129);
        byte[][] valid = [WithUnknownFields(), Repeated(), Rich().ToByteArray()];
        var refused = 0;

        for (var i = 0; i < 2_000; i++)
        {
            var bytes = valid[i % valid.Length].ToList();
            for (var change = random.Next(1, 4); change > 0; change--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        bytes.Insert(at, (byte)random.Next(256));
                        break;
                    default:
                        bytes.RemoveAt(at);
                        break;
                }
            }

            refused += AssertSameOutcome([.. bytes]) ? 0 : 1;
        }

        Assert.InRange(refused, 200, 1_990); // the corruptions exercise both outcomes
    }

    [Fact]
    public void Parse_MessageSplitOverSegments_SameAsContiguous()
    {
        var bytes = Rich().ToByteArray();
        var first = new Segment(bytes.AsMemory(0, 7));
        var last = first.Append(bytes.AsMemory(7, 50)).Append(bytes.AsMemory(57));

        var split = InboundEnvelopeParser.Parse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        AssertSame(InboundEnvelope.From(Envelope.Parser.ParseFrom(bytes)), split);
    }

    [Fact]
    public void Parse_AuditBatch_RepeatedValuesShareOneInstanceAndNamesDoNot()
    {
        var strings = new RepeatedStrings();
        var wire = new AuditEvent { Actor = "alice", Verb = "update", Namespace = "ns", Name = "a", MatchedPolicy = "p", Details = { ["reason"] = "x" } };

        var events = InboundEnvelopeParser.Parse(Batch(wire, wire, wire).ToByteArray(), strings).AuditEvents!;
        var again = InboundEnvelopeParser.Parse(Batch(wire).ToByteArray(), strings).AuditEvents!;

        Assert.All(events.Skip(1).Concat(again), e => Assert.Same(events[0].Actor, e.Actor));
        Assert.All(events.Skip(1).Concat(again), e => Assert.Same(events[0].MatchedPolicy, e.MatchedPolicy));
        Assert.Same(events[0].Details!.Keys.Single(), again[0].Details!.Keys.Single());
        Assert.NotSame(events[0].Name, events[1].Name);
    }

    /// <summary>True when both accepted (with the same result), false when both refused.</summary>
    private static bool AssertSameOutcome(byte[] bytes)
    {
        InboundEnvelope? expected;
        try
        {
            expected = InboundEnvelope.From(Envelope.Parser.ParseFrom(bytes));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or EnvelopeRefusedException)
        {
            expected = null;
        }

        InboundEnvelope? actual;
        try
        {
            actual = InboundEnvelopeParser.Parse(bytes, new RepeatedStrings());
        }
        catch (EnvelopeRefusedException e)
        {
            Assert.True(expected is null, $"refused what the generated parser accepts ({e.Message}): {Convert.ToHexString(bytes)}");
            return false;
        }

        Assert.True(expected is not null, $"accepted what the generated parser refuses: {Convert.ToHexString(bytes)}");
        AssertSame(expected, actual);
        return true;
    }

    private static void AssertSame(InboundEnvelope expected, InboundEnvelope actual)
    {
        var (e, a) = (expected.Envelope, actual.Envelope);
        Assert.Equal((e.Type, e.Sequence, e.ClusterId, e.PayloadCase), (a.Type, a.Sequence, a.ClusterId, a.PayloadCase));
        Assert.Equal((e.Timestamp?.Seconds, e.Timestamp?.Nanos), (a.Timestamp?.Seconds, a.Timestamp?.Nanos));
        if (expected.AuditEvents is null)
        {
            Assert.Null(actual.AuditEvents);
            Assert.Equal(e, a); // both from the generated parser
            return;
        }

        Assert.Empty(a.AuditEventBatch.Events);
        Assert.NotNull(actual.AuditEvents);
        Assert.Equal(expected.AuditEvents.Length, actual.AuditEvents.Length);
        foreach (var (want, got) in expected.AuditEvents.Zip(actual.AuditEvents))
        {
            Assert.Equal(want with { Details = null }, got with { Details = null });
            Assert.Equal(want.Details is null, got.Details is null);
            Assert.Equal(want.Details?.OrderBy(d => d.Key, StringComparer.Ordinal), got.Details?.OrderBy(d => d.Key, StringComparer.Ordinal));
        }
    }

    private static Envelope Rich() => Batch(
        new AuditEvent
        {
            Sequence = 41, OccurredAt = new Timestamp { Seconds = 1_795_000_000, Nanos = 123_456_789 }, Actor = "system:serviceaccount:ont-system:conductor",
            Verb = "update", Resource = "configmaps", Namespace = "default", Name = "näme 🚀", Outcome = "allowed", MatchedPolicy = "cluster-policy",
            Details = { ["reason"] = "rule <7>", ["ünï"] = "🚀", ["empty"] = "" },
        },
        new AuditEvent { Sequence = 42, Actor = "system:serviceaccount:ont-system:conductor", Verb = "delete", Name = "b", Details = { [""] = "v" } });

    private static Envelope Batch(params AuditEvent[] events) => new()
    {
        Type = MessageType.AuditEventBatch, Sequence = 12, ClusterId = "ccs-dev", Timestamp = new Timestamp { Seconds = 1_795_000_001, Nanos = 5 },
        AuditEventBatch = new AuditEventBatch { Events = { events } },
    };

    private static Envelope Header(MessageType type, Action<Envelope> payload)
    {
        var envelope = new Envelope { Type = type, Sequence = 2, ClusterId = "ccs-dev", Timestamp = new Timestamp { Seconds = 1 } };
        payload(envelope);
        return envelope;
    }

    /// <summary>Varint, fixed64, bytes, a group (nested) and fixed32 unknown fields in every message of an audit envelope.</summary>
    private static byte[] WithUnknownFields()
    {
        byte[] unknown = [.. W.Field(90, 0, W.Varint(300)), .. W.Field(91, 1, new byte[8]), .. W.Field(92, 2, W.Bytes("zz")),
            .. W.Field(93, 3, [.. W.Field(94, 5, new byte[4]), .. W.Field(95, 3, W.Tag(95, 4))]), .. W.Tag(93, 4), .. W.Field(96, 5, [1, 2, 3, 4])];
        byte[] detail = [.. W.Field(1, 2, W.Bytes("key")), .. unknown, .. W.Field(2, 2, W.Bytes("value"))];
        byte[] timestamp = [.. W.Field(1, 0, W.Varint(1_795_000_000)), .. unknown, .. W.Field(2, 0, W.Varint(7))];
        byte[] auditEvent = [.. W.Field(1, 0, W.Varint(5)), .. unknown, .. W.Message(2, timestamp), .. W.Field(3, 2, W.Bytes("alice")),
            .. W.Message(10, detail), .. W.Field(7, 2, W.Bytes("name"))];
        byte[] batch = [.. unknown, .. W.Message(1, auditEvent), .. unknown, .. W.Message(1, auditEvent)];
        return [.. W.Field(1, 0, W.Varint(3)), .. unknown, .. W.Message(4, timestamp), .. W.Message(12, batch), .. unknown];
    }

    private static byte[] Repeated()
    {
        byte[] first = [.. W.Field(3, 2, W.Bytes("alice")), .. W.Message(2, W.Field(1, 0, W.Varint(100))), .. W.Message(10, [.. W.Field(1, 2, W.Bytes("k")), .. W.Field(2, 2, W.Bytes("1"))])];
        byte[] second = [.. first, .. W.Field(3, 2, W.Bytes("bob")), .. W.Message(2, W.Field(2, 0, W.Varint(9))), .. W.Message(10, [.. W.Field(1, 2, W.Bytes("k")), .. W.Field(2, 2, W.Bytes("2"))]),
            .. W.Message(10, W.Field(2, 2, W.Bytes("no key"))), .. W.Message(10, W.Field(1, 2, W.Bytes("no value")))];
        return [.. W.Field(2, 0, W.Varint(1)), .. W.Field(2, 0, W.Varint(2)), .. W.Message(12, W.Message(1, first)), .. W.Field(3, 2, W.Bytes("a")),
            .. W.Field(3, 2, W.Bytes("b")), .. W.Message(12, W.Message(1, second)), .. W.Message(4, W.Field(1, 0, W.Varint(5))), .. W.Message(4, W.Field(2, 0, W.Varint(6)))];
    }

    /// <summary>Protobuf wire bytes by hand, for what the generated writer never produces.</summary>
    private static class W
    {
        public static byte[] Varint(ulong value)
        {
            var bytes = new List<byte>();
            while (value >= 0x80)
            {
                bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            bytes.Add((byte)value);
            return [.. bytes];
        }

        public static byte[] Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

        /// <summary>A tag and its payload as given (a varint, fixed bytes, a length-prefixed value or a group's body).</summary>
        public static byte[] Field(int field, int wireType, byte[] payload) => [.. Tag(field, wireType), .. payload];

        public static byte[] Message(int field, byte[] body) => Field(field, 2, [.. Varint((ulong)body.Length), .. body]);

        public static byte[] Bytes(string value)
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(value);
            return [.. Varint((ulong)utf8.Length), .. utf8];
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
