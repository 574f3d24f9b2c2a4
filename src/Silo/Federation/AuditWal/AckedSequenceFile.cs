using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// The highest sequence management acknowledged, in file <c>acked</c>: two slots, each in its own 512-byte sector,
/// written in place alternately, one synchronous write per acknowledgement (no temporary file, rename or directory
/// fsync). Format, little-endian:
/// <code>
/// offset 0    slot 0: u64 sequence, u32 CRC-32C of the sequence
/// offset 512  slot 1: the same
/// </code>
/// (1024 bytes in all, the rest zero). The stored value is the valid slot with the highest sequence. A write lands
/// on the slot not holding it, so a torn write damages only that slot and the other still holds the previous
/// value; both slots damaged reads as damaged. The file is created, and the one-slot 12-byte format of earlier
/// versions (slot 0's layout alone) converted, by writing a temporary file and renaming it: once, never per ack.
/// </summary>
internal sealed class AckedSequenceFile : IDisposable
{
    private const string FileName = "acked";
    private const string TemporaryFileName = "acked.tmp";
    private const int SlotBytes = 512; // a sector each: a torn sector write cannot reach the other slot
    private const int SlotDataBytes = 12;
    private const int FileBytes = 2 * SlotBytes;
    private const int LegacyFileBytes = SlotDataBytes;

    private readonly SafeFileHandle _file;
    private readonly byte[] _slot = new byte[SlotDataBytes];
    private int _nextSlot; // the slot not holding the current value

    private AckedSequenceFile(SafeFileHandle file, int nextSlot)
    {
        _file = file;
        _nextSlot = nextSlot;
    }

    /// <summary>
    /// Opens the file in <paramref name="directory"/>, creating or converting it as needed. <paramref name="stored"/>
    /// is the stored value: 0 when there was none; null when the file was damaged (it then starts over from 0).
    /// </summary>
    public static AckedSequenceFile Open(string directory, out ulong? stored)
    {
        var path = Path.Combine(directory, FileName);
        var temporaryPath = Path.Combine(directory, TemporaryFileName);
        if (File.Exists(temporaryPath))
        {
            File.Delete(temporaryPath); // an interrupted create or conversion (or old-format write): `acked` is current
        }

        var nextSlot = 1;
        var found = File.Exists(path) ? Read(File.ReadAllBytes(path)) : (0, 0, 0);
        stored = found?.Sequence;
        if (found is { Format: FileBytes } current)
        {
            nextSlot = 1 - current.Slot;
        }
        else
        {
            // Created, converted from the one-slot format, or started over when damaged.
            Create(directory, path, temporaryPath, stored ?? 0);
        }

        var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, FileOptions.WriteThrough);
        return new AckedSequenceFile(file, nextSlot);
    }

    /// <summary>Stores <paramref name="sequence"/>: durable when this returns (the file is opened write-through).</summary>
    public void Write(ulong sequence)
    {
        Encode(_slot, sequence);
        RandomAccess.Write(_file, _slot, (long)_nextSlot * SlotBytes);
        _nextSlot = 1 - _nextSlot;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>The value in <paramref name="bytes"/>, the slot holding it and the format's length; null when damaged.</summary>
    private static (ulong Sequence, int Slot, int Format)? Read(byte[] bytes)
    {
        if (bytes.Length == LegacyFileBytes)
        {
            return Decode(bytes) is { } legacy ? (legacy, 0, LegacyFileBytes) : null;
        }

        if (bytes.Length != FileBytes)
        {
            return null;
        }

        var first = Decode(bytes.AsSpan(0, SlotDataBytes));
        var second = Decode(bytes.AsSpan(SlotBytes, SlotDataBytes));
        return (first, second) switch
        {
            (null, null) => null,
            ({ } a, { } b) when b > a => (b, 1, FileBytes),
            ({ } a, _) => (a, 0, FileBytes),
            (null, { } b) => (b, 1, FileBytes),
        };
    }

    private static ulong? Decode(ReadOnlySpan<byte> slot) =>
        Crc32C.Compute(slot[..8], []) == BinaryPrimitives.ReadUInt32LittleEndian(slot[8..])
            ? BinaryPrimitives.ReadUInt64LittleEndian(slot)
            : null;

    private static void Encode(Span<byte> slot, ulong sequence)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(slot, sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[8..], Crc32C.Compute(slot[..8], []));
    }

    /// <summary>Writes a whole new file holding <paramref name="sequence"/> in both slots, atomically (rename).</summary>
    private static void Create(string directory, string path, string temporaryPath, ulong sequence)
    {
        var bytes = new byte[FileBytes];
        Encode(bytes, sequence);
        Encode(bytes.AsSpan(SlotBytes), sequence);
        using (var stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, 0))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporaryPath, path, overwrite: true);
        DirectorySync.Flush(directory);
    }
}
