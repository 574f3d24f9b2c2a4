using System.Buffers.Binary;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// The on-disk record, all integers little-endian:
/// <code>
/// offset 0   u32  payload length in bytes
/// offset 4   u32  CRC-32C of bytes [8, 16 + length): the sequence and the payload
/// offset 8   u64  sequence (segment file name + position; records in a segment are contiguous)
/// offset 16  payload
/// </code>
/// A record is valid only when the whole of it is present, the length is within <see cref="MaxPayloadBytes"/>,
/// the checksum matches and the sequence is the one expected at that position. Recovery truncates a segment at
/// the first record that is not valid, so a torn or corrupt tail is never replayed.
/// </summary>
internal static class WalRecordFormat
{
    public const int HeaderBytes = 16;

    /// <summary>Largest payload accepted; also bounds how much a corrupt length field can make recovery read.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    public static long RecordBytes(int payloadLength) => HeaderBytes + (long)payloadLength;

    public static void Write(Span<byte> destination, ulong sequence, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payload.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], sequence);
        payload.CopyTo(destination[HeaderBytes..]);
        var crc = Crc32C.Compute(destination.Slice(8, 8), payload);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], crc);
    }

    public static (int PayloadLength, uint Crc, ulong Sequence) ReadHeader(ReadOnlySpan<byte> header) =>
        (checked((int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(header), int.MaxValue)),
         BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
         BinaryPrimitives.ReadUInt64LittleEndian(header[8..]));

    public static bool ChecksumMatches(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload) =>
        Crc32C.Compute(header.Slice(8, 8), payload) == BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
}
