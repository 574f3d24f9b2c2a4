using System.Collections.Immutable;
using System.IO.Compression;
using System.Text.Json;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Grains.Federation.Storage;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Conductor.Grains.Tests.Federation.Storage;

public sealed class AuditChunkingTests
{
    private static readonly AuditRecord[] Records =
    [
        new(1, null, "system:serviceaccount:ont-system:conductor", "update", "configmaps", "default", "item-1", "allowed", "cluster-policy"),
        new(2, new DateTimeOffset(2026, 11, 27, 17, 3, 4, 567, TimeSpan.FromHours(2)).AddTicks(8_901), "alice <a&b> 'quoted' \"x\"", "delete", "secrets", "ns-ü", "näme\n\t+ 🚀 日本", "denied", "",
            ImmutableDictionary<string, string>.Empty.Add("reason", "rule <7>").Add("Key", "ünïcode 🚀").Add("", "").Add("long", new string('x', 300))),
        new(ulong.MaxValue, DateTimeOffset.UnixEpoch, "", "", "", "", "", "", ""),
        new(0, new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(1), "a", "b", "c", "d", "e", "f", "g",
            ImmutableDictionary<string, string>.Empty.Add("only-key", "")),
        new(5, DateTimeOffset.MinValue, "x", "y", "z", "", "", "", "", ImmutableDictionary<string, string>.Empty),
        new(6, DateTimeOffset.MaxValue, "x", "y", "z", "", "", "", ""),
    ];

    [Fact]
    public void Compress_AnyRecord_ReadsBackEveryField()
    {
        var payload = AuditChunking.Compress(Records);

        var decoded = AuditChunkReader.Read("ns/chunk", new Dictionary<string, byte[]> { [AuditChunkStore.EventsKey] = payload });

        AssertSameEvents(Records, decoded);
        Assert.Equal(TimeSpan.Zero, decoded[1].OccurredAt!.Value.Offset); // the instant is kept; like the wire, in UTC
        Assert.Null(decoded[4].Details); // no details and empty details read alike, as from the wire
    }

    [Fact]
    public void Compress_AnyRecord_WritesWhatTheGeneratedAuditEventBatchWrites()
    {
        var expected = Generated(Records);

        using var zlib = new ZLibStream(new MemoryStream(AuditChunking.Compress(Records)), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);

        Assert.Equal(expected, AuditEventBatch.Parser.ParseFrom(raw.ToArray()));
        Assert.Equal(expected.ToByteArray(), raw.ToArray());
    }

    [Fact]
    public void Write_RepeatedAndDistinctValues_WritesWhatTheGeneratedAuditEventBatchWrites()
    {
        // Shared instances (as the gateway hands them), equal values in other instances, and more distinct repeating
        // values than the writer's cache holds, interleaved so they evict each other.
        string[] actors = [.. Enumerable.Range(0, 100).Select(i => $"system:serviceaccount:ns-{i}:agent-ü{i}")];
        var records = Enumerable.Range(0, 1_000).Select(i => new AuditRecord(
            (ulong)i + 1, i % 3 == 0 ? null : DateTimeOffset.UnixEpoch.AddSeconds(i), actors[(i * 7) % actors.Length],
            i % 2 == 0 ? "update" : new string("update".AsSpan()), "configmaps", i % 5 == 0 ? "" : "default", $"item-{i}",
            "allowed", i % 4 == 0 ? $"policy-{i}" : "cluster-policy",
            i % 2 == 0 ? null : ImmutableDictionary<string, string>.Empty.Add("reason", $"rule {i}").Add(actors[i % actors.Length], "🚀"))).ToList();
        using var raw = new MemoryStream();

        AuditChunkWriter.Write(records, raw);

        Assert.Equal(Generated(records).ToByteArray(), raw.ToArray());
    }

    private static AuditEventBatch Generated(IEnumerable<AuditRecord> records)
    {
        var expected = new AuditEventBatch();
        foreach (var record in records)
        {
            var e = new AuditEvent
            {
                Sequence = record.Sequence,
                OccurredAt = record.OccurredAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
                Actor = record.Actor, Verb = record.Verb, Resource = record.Resource, Namespace = record.Namespace,
                Name = record.Name, Outcome = record.Outcome, MatchedPolicy = record.MatchedPolicy,
            };
            foreach (var (key, value) in record.Details ?? ImmutableDictionary<string, string>.Empty)
            {
                e.Details.Add(key, value);
            }

            expected.Events.Add(e);
        }

        return expected;
    }

    [Fact]
    public void Compress_ManyRecords_ReadsBackInOrder()
    {
        var many = Enumerable.Range(1, AuditChunkStore.MaxChunkEvents).Select(i => Records[1] with { Sequence = (ulong)i, Name = $"item-{i}" }).ToList();

        var decoded = AuditChunkReader.Read("ns/chunk", new Dictionary<string, byte[]> { [AuditChunkStore.EventsKey] = AuditChunking.Compress(many) });

        AssertSameEvents(many, decoded);
    }

    [Fact]
    public void Read_ChunkOfTheJsonVersion_ReturnsItsEvents()
    {
        // What the sink wrote before the protobuf encoding (its writer was proven to write exactly these bytes).
        var legacy = Records.Select(r => r with { OccurredAt = r.OccurredAt?.ToUniversalTime() }).ToArray();
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            JsonSerializer.Serialize(gzip, legacy, AuditChunkStore.Json);
        }

        var decoded = AuditChunkReader.Read("ns/chunk", new Dictionary<string, byte[]> { [AuditChunkStore.JsonEventsKey] = buffer.ToArray() });

        Assert.Equal(legacy.Length, decoded.Count);
        Assert.All(legacy.Zip(decoded), pair =>
        {
            Assert.Equal(pair.First with { Details = null }, pair.Second with { Details = null });
            Assert.Equal(pair.First.Details?.OrderBy(d => d.Key, StringComparer.Ordinal), pair.Second.Details?.OrderBy(d => d.Key, StringComparer.Ordinal));
        });
    }

    public static TheoryData<string, byte[]> CorruptPayloads()
    {
        var good = AuditChunking.Compress(Records);
        var flipped = good.ToArray();
        flipped[flipped.Length / 2] ^= 0x5A;
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Fastest))
        {
            zlib.Write([0x0A, 0x7F, 0x08, 0x01]); // an event claiming 127 bytes, holding 2
        }

        return new()
        {
            { AuditChunkStore.EventsKey, [1, 2, 3, 4, 5] },
            { AuditChunkStore.EventsKey, good[..(good.Length / 2)] },
            { AuditChunkStore.EventsKey, flipped },
            { AuditChunkStore.EventsKey, buffer.ToArray() },
            { AuditChunkStore.EventsKey, [] },
            { AuditChunkStore.JsonEventsKey, good },
            { AuditChunkStore.JsonEventsKey, [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 1, 2, 3] },
        };
    }

    [Theory]
    [MemberData(nameof(CorruptPayloads))]
    public void Read_CorruptPayload_ThrowsNamingTheConfigMapAndKey(string key, byte[] payload)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            AuditChunkReader.Read("conductor-system/audit-ccs-1-00000000000000000001", new Dictionary<string, byte[]> { [key] = payload }));

        Assert.Contains("conductor-system/audit-ccs-1-00000000000000000001", error.Message, StringComparison.Ordinal);
        Assert.Contains($"key {key} is corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NeitherOrBothKeys_ThrowsNamingTheConfigMapAndBothKeys()
    {
        var payload = AuditChunking.Compress(Records);

        var neither = Assert.Throws<InvalidDataException>(() => AuditChunkReader.Read("ns/chunk", new Dictionary<string, byte[]> { ["other"] = payload }));
        var missing = Assert.Throws<InvalidDataException>(() => AuditChunkReader.Read("ns/chunk", null));
        var both = Assert.Throws<InvalidDataException>(() => AuditChunkReader.Read("ns/chunk",
            new Dictionary<string, byte[]> { [AuditChunkStore.EventsKey] = payload, [AuditChunkStore.JsonEventsKey] = payload }));

        Assert.All(new[] { neither, missing, both }, e =>
        {
            Assert.Contains("ns/chunk", e.Message, StringComparison.Ordinal);
            Assert.Contains(AuditChunkStore.EventsKey, e.Message, StringComparison.Ordinal);
            Assert.Contains(AuditChunkStore.JsonEventsKey, e.Message, StringComparison.Ordinal);
        });
        Assert.Contains("neither", neither.Message, StringComparison.Ordinal);
        Assert.Contains("both", both.Message, StringComparison.Ordinal);
    }

    private static void AssertSameEvents(IReadOnlyList<AuditRecord> expected, IReadOnlyList<AuditRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.All(expected.Zip(actual), pair =>
        {
            // DateTimeOffset equality compares instants; record equality compares the dictionaries by reference.
            Assert.Equal(pair.First with { Details = null }, pair.Second with { Details = null });
            Assert.Equal(pair.First.OccurredAt?.UtcTicks, pair.Second.OccurredAt?.UtcTicks);
            Assert.Equal(
                pair.First.Details is { Count: > 0 } details ? details.OrderBy(d => d.Key, StringComparer.Ordinal) : null,
                pair.Second.Details?.OrderBy(d => d.Key, StringComparer.Ordinal));
        });
    }

    public static TheoryData<ulong[], ulong, ulong[]> Runs => new()
    {
        { [1, 2, 3], 0, [1, 2, 3] },
        { [4, 5, 6, 7], 5, [6, 7] }, // a replay overlapping the stored run: only the new tail
        { [4, 5, 6], 6, [] }, // all stored
        { [4, 5, 6], 9, [] },
        { [8, 9], 5, [] }, // a gap before the first
        { [], 3, [] },
        { [3, 1, 2, 2, 5, 4], 0, [1, 2, 3, 4, 5] }, // out of order with a duplicate
        { [1, 2, 4, 5], 0, [1, 2] }, // a gap inside
        { [2, 1, 3], 1, [2, 3] },
        { [ulong.MaxValue - 1, ulong.MaxValue], ulong.MaxValue - 2, [ulong.MaxValue - 1, ulong.MaxValue] },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void ContiguousAfter_AnyBatch_ReturnsTheRunContinuingTheMark(ulong[] sequences, ulong highWaterMark, ulong[] expected)
    {
        var events = sequences.Select(s => Records[0] with { Sequence = s }).ToImmutableArray();

        var run = AuditChunking.ContiguousAfter(events, highWaterMark);

        Assert.Equal(expected, run.Select(e => e.Sequence));
        Assert.All(run, e => Assert.Same(events.First(x => x.Sequence == e.Sequence), e));
    }
}
