using System.Formats.Tar;
using System.IO.Compression;
using Conductor.Registry.Distribution;

namespace Conductor.Registry.Packaging;

/// <summary>
/// Packs files into a deterministic tar.gz layer, and unpacks one. The same set of paths and contents always gives
/// the same bytes, whatever the input order or the files' timestamps and owners: entries are sorted by ordinal path,
/// every header has mtime 0 (the Unix epoch), uid/gid 0, mode 0644 and no user or group name, and the gzip header
/// carries no name, mtime 0 and a fixed OS byte.
/// </summary>
public static class LayerPackager
{
    /// <summary>Mode of every file entry: rw-r--r--.</summary>
    public const UnixFileMode FileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Unpack refuses archives that expand beyond this, so a hostile layer cannot exhaust memory.</summary>
    public const long MaxUnpackedBytes = 256L * 1024 * 1024;

    // Byte 9 of a gzip member is the OS that wrote it (RFC 1952); zlib sets it per platform, so we pin it to
    // 3 (Unix) to keep digests equal between Linux, macOS and Windows builds.
    private const int GzipOsByteOffset = 9;
    private const byte GzipOsUnix = 3;

    /// <summary>Packs <paramref name="files"/>; a duplicate, empty, absolute or '..' path is an error naming it.</summary>
    public static PackagedLayer Pack(IEnumerable<LayerFile> files)
    {
        var sorted = files.Select(file => file with { Path = NormalizePath(file.Path) })
            .OrderBy(file => file.Path, StringComparer.Ordinal)
            .ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].Path == sorted[i - 1].Path)
            {
                throw new ArgumentException($"layer file '{sorted[i].Path}' is given twice: each path must be unique",
                    nameof(files));
            }
        }

        var tar = WriteTar(sorted);
        var gzip = Compress(tar);
        return new PackagedLayer(gzip, OciDigest.Compute(gzip), OciDigest.Compute(tar));
    }

    /// <summary>
    /// Reads the regular files of a tar.gz layer, in archive order. Directories are skipped; links, devices and
    /// unsafe paths are refused, since a pack layer only ever holds plain files.
    /// </summary>
    public static IReadOnlyList<LayerFile> Unpack(ReadOnlyMemory<byte> layer, string source)
    {
        var files = new List<LayerFile>();
        long total = 0;
        try
        {
            using var compressed = new MemoryStream(layer.ToArray(), writable: false);
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType == TarEntryType.Directory)
                {
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    throw new InvalidDataException(
                        $"layer {source} entry '{entry.Name}' is a {entry.EntryType}: only regular files are allowed");
                }

                total += entry.Length;
                if (total > MaxUnpackedBytes)
                {
                    throw new InvalidDataException(
                        $"layer {source} expands beyond {MaxUnpackedBytes} bytes: refusing it");
                }

                using var content = new MemoryStream();
                entry.DataStream?.CopyTo(content);
                files.Add(new LayerFile(NormalizePath(entry.Name), content.ToArray()));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or ArgumentException or EndOfStreamException)
        {
            throw new InvalidDataException($"layer {source} is not a valid tar.gz: {ex.Message}", ex);
        }

        return files;
    }

    private static byte[] WriteTar(IReadOnlyList<LayerFile> files)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var file in files)
            {
                // Ustar rather than PAX: .NET's PAX entries add atime/ctime records taken from the clock.
                var entry = new UstarTarEntry(TarEntryType.RegularFile, file.Path)
                {
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    Mode = FileMode,
                    Uid = 0,
                    Gid = 0,
                    UserName = "",
                    GroupName = "",
                    DataStream = new MemoryStream(file.Content.ToArray(), writable: false),
                };
                writer.WriteEntry(entry);
            }
        }

        return tar.ToArray();
    }

    private static byte[] Compress(byte[] tar)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        var bytes = output.ToArray();
        bytes[GzipOsByteOffset] = GzipOsUnix;
        return bytes;
    }

    private static string NormalizePath(string path)
    {
        var normalized = path.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        if (normalized.Length == 0 || normalized.StartsWith('/') || normalized.EndsWith('/')
            || normalized.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException(
                $"layer file path '{path}' is invalid: use a relative path of named components, without '..' or '//'");
        }

        return normalized;
    }
}
