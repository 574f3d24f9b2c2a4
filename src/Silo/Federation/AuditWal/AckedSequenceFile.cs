using System.Buffers.Binary;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// The highest sequence management acknowledged, in file <c>acked</c>: u64 sequence then u32 CRC-32C of it,
/// little-endian. Replaced atomically (write a temporary file, fsync, rename, fsync the directory), so a crash
/// leaves either the old value or the new one, never a mix.
/// </summary>
internal sealed class AckedSequenceFile(string directory)
{
    private const string FileName = "acked";
    private const string TemporaryFileName = "acked.tmp";

    private readonly string _path = Path.Combine(directory, FileName);
    private readonly string _temporaryPath = Path.Combine(directory, TemporaryFileName);

    /// <summary>Reads the stored value: 0 when there is none; null when the file is damaged.</summary>
    public ulong? Read()
    {
        if (File.Exists(_temporaryPath))
        {
            File.Delete(_temporaryPath); // an interrupted write; the rename never happened, so `acked` is current
        }

        if (!File.Exists(_path))
        {
            return 0;
        }

        var bytes = File.ReadAllBytes(_path);
        if (bytes.Length != 12
            || Crc32C.Compute(bytes.AsSpan(0, 8), []) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)))
        {
            return null;
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    public void Write(ulong sequence)
    {
        var bytes = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), Crc32C.Compute(bytes.AsSpan(0, 8), []));
        using (var stream = new FileStream(_temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, 0))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(_temporaryPath, _path, overwrite: true);
        DirectorySync.Flush(directory);
    }
}
