using System.IO.Compression;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// The compressor of the protobuf chunks (<see cref="AuditChunkStore.EventsKey"/> names it): zlib at Fastest.
/// Measured on 16,384-event chunks (bench <c>--stages</c>, warm, three event shapes): gzip, zlib and deflate write
/// the same deflate stream (61-405 KB a chunk) for 0.22-0.26 us/event on bench-shaped events, and zlib keeps an
/// Adler-32 checksum that catches a damaged chunk at deflate's cost (gzip's CRC-32 measured up to 0.08 us dearer);
/// Brotli quality 1 is 20-25% smaller for 0.29-0.35 us; none is 1.8-3.2 MB, over <see cref="AuditChunkStore.MaxChunkBytes"/>
/// unless chunks were cut six times smaller, i.e. six times the apiserver writes.
/// </summary>
public static class AuditChunkCompression
{
    public static Stream Compress(Stream output) => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true);

    public static Stream Decompress(Stream input) => new ZLibStream(input, CompressionMode.Decompress);
}
