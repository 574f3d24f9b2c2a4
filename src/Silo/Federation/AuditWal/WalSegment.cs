using System.Globalization;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// One segment file. Its name is the sequence of its first record, zero-padded to 20 digits, so a directory
/// listing sorts in sequence order and an empty segment still records where numbering continues.
/// </summary>
internal sealed class WalSegment(string path, ulong firstSequence)
{
    public const string Extension = ".wal";

    public string Path { get; } = path;

    public ulong FirstSequence { get; } = firstSequence;

    /// <summary>Sequence of the last record; <c>FirstSequence - 1</c> while empty.</summary>
    public ulong LastSequence { get; set; } = firstSequence - 1;

    /// <summary>Bytes of whole, durable records.</summary>
    public long Length { get; set; }

    public bool IsEmpty => LastSequence < FirstSequence;

    public static string FileName(ulong firstSequence) =>
        firstSequence.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseFileName(string fileName, out ulong firstSequence)
    {
        firstSequence = 0;
        return fileName.EndsWith(Extension, StringComparison.Ordinal)
            && fileName.Length == 20 + Extension.Length
            && ulong.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out firstSequence)
            && firstSequence > 0;
    }
}
