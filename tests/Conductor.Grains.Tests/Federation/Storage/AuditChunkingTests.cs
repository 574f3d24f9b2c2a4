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
}
