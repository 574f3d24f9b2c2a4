using System.Collections.Immutable;
using System.IO.Compression;
using System.Text.Json;
using Conductor.Federation;
using Conductor.Grains.Federation.Storage;

namespace Conductor.Grains.Tests.Federation.Storage;

public sealed class AuditChunkingTests
{
    private static readonly AuditRecord[] Records =
    [
        new(1, null, "system:serviceaccount:ont-system:conductor", "update", "configmaps", "default", "item-1", "allowed", "cluster-policy"),
        new(2, new DateTimeOffset(2026, 11, 27, 17, 3, 4, 567, TimeSpan.FromHours(2)), "alice <a&b> 'quoted' \"x\"", "delete", "secrets", "ns-ü", "näme\n\t+", "denied", "",
            ImmutableDictionary<string, string>.Empty.Add("reason", "rule <7>").Add("Key", "ünïcode")),
        new(18_446_744_073_709_551_615, DateTimeOffset.UnixEpoch, null!, "", "", "", "", "", "", ImmutableDictionary<string, string>.Empty),
    ];

    [Fact]
    public void Compress_AnyRecord_WritesTheSerializersJson()
    {
        var payload = AuditChunking.Compress(Records);

        using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        using var text = new StreamReader(gzip);
        Assert.Equal(JsonSerializer.Serialize(Records, AuditChunkStore.Json), text.ReadToEnd());
    }

    [Fact]
    public void Decompress_CompressedRecords_ReturnsThemUnchanged()
    {
        var many = Enumerable.Range(1, 5000).Select(i => Records[0] with { Sequence = (ulong)i, Name = $"item-{i}" }).Concat(Records.Skip(1)).ToList();

        var decoded = AuditChunking.Decompress(AuditChunking.Compress(many));

        Assert.Equal(many.Count, decoded.Count);
        Assert.All(many.Zip(decoded), pair =>
        {
            Assert.Equal(pair.First with { Details = null }, pair.Second with { Details = null });
            Assert.Equal(pair.First.Details?.OrderBy(d => d.Key, StringComparer.Ordinal), pair.Second.Details?.OrderBy(d => d.Key, StringComparer.Ordinal));
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
