using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>
/// Scans the segment files on open. The first record that is not whole and valid ends the log: its segment is
/// truncated there and any later segment is deleted, because records after a damaged one can no longer be
/// proven contiguous. After a crash that is exactly the torn tail of the last segment.
/// </summary>
internal static partial class WalRecovery
{
    public static List<WalSegment> Recover(string directory, ILogger logger)
    {
        var segments = new List<WalSegment>();
        var files = Directory.EnumerateFiles(directory, "*" + WalSegment.Extension)
            .Select(path => (Path: path, Ok: WalSegment.TryParseFileName(System.IO.Path.GetFileName(path), out var first), First: first))
            .Where(f => f.Ok)
            .OrderBy(f => f.First)
            .ToList();

        string? endedBy = null;
        ulong? expectedFirst = null;
        foreach (var (path, _, first) in files)
        {
            if (endedBy is null && expectedFirst is { } expected && first != expected)
            {
                endedBy = $"segment starts at sequence {first} where {expected} was expected";
            }

            if (endedBy is not null)
            {
                LogSegmentDropped(logger, path, endedBy);
                File.Delete(path);
                continue;
            }

            var segment = ScanAndTruncate(path, first, logger, out var problem);
            endedBy = problem is null ? null : $"an earlier segment ends in a damaged record ({problem})";
            expectedFirst = segment.LastSequence + 1;
            segments.Add(segment);
        }

        // Empty segments other than the last carry no records; the last one records where numbering resumes.
        segments.RemoveAll(s =>
        {
            if (!s.IsEmpty || ReferenceEquals(s, segments[^1]))
            {
                return false;
            }

            File.Delete(s.Path);
            return true;
        });
        return segments;
    }

    private static WalSegment ScanAndTruncate(string path, ulong first, ILogger logger, out string? problem)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var fileLength = RandomAccess.GetLength(handle);
        var reader = new WalSegmentReader(handle, first, fileLength);
        while (reader.ReadNext() is not null)
        {
        }

        problem = reader.Problem;
        if (problem is not null)
        {
            LogTruncatedTail(logger, path, reader.ValidLength, problem, fileLength - reader.ValidLength);
            RandomAccess.SetLength(handle, reader.ValidLength);
            RandomAccess.FlushToDisk(handle);
        }

        return new WalSegment(path, first) { LastSequence = reader.NextSequence - 1, Length = reader.ValidLength };
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning,
        Message = "Truncating audit WAL segment {File} at offset {Offset}: {Reason}; dropping {DroppedBytes} bytes that were never acknowledged as durable")]
    private static partial void LogTruncatedTail(ILogger logger, string file, long offset, string reason, long droppedBytes);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Error,
        Message = "Deleting audit WAL segment {File} because {Reason}; its records cannot be replayed safely")]
    private static partial void LogSegmentDropped(ILogger logger, string file, string reason);
}
