using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Federation.AuditWal;

public sealed partial class AuditWal
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information,
        Message = "Opened audit WAL {Path}: {Segments} segment(s), acknowledged through {AckedSequence}, last sequence {LastSequence}, {Bytes} bytes")]
    private static partial void LogOpened(ILogger logger, string path, int segments, ulong ackedSequence, ulong lastSequence, long bytes);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning,
        Message = "Audit WAL {Path} has a damaged acknowledged-sequence file; replaying every record it holds (management deduplicates)")]
    private static partial void LogAckedFileDamaged(ILogger logger, string path);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning,
        Message = "Audit WAL {Path} is full ({Bytes} of {MaxBytes} bytes, acknowledged through {AckedSequence}); audit appends wait until management acknowledges more")]
    private static partial void LogFull(ILogger logger, string path, long bytes, long maxBytes, ulong ackedSequence);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information,
        Message = "Audit WAL {Path} has room again ({Bytes} of {MaxBytes} bytes)")]
    private static partial void LogNoLongerFull(ILogger logger, string path, long bytes, long maxBytes);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning,
        Message = "Management acknowledged audit sequence {Sequence} but audit WAL {Path} holds records only through {LastSequence}; acknowledging through {LastSequence}")]
    private static partial void LogAckBeyondEnd(ILogger logger, string path, ulong sequence, ulong lastSequence);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Error,
        Message = "Writing {Records} record(s) to audit WAL {Path} failed; the WAL refuses appends until the agent restarts and recovers it")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path, int records);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Debug,
        Message = "Compacted audit WAL {Path}: deleted {Segments} acknowledged segment(s), {Bytes} bytes, acknowledged through {AckedSequence}")]
    private static partial void LogCompacted(ILogger logger, string path, int segments, long bytes, ulong ackedSequence);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Error,
        Message = "A FullChanged handler of audit WAL {Path} threw")]
    private static partial void LogFullChangedHandlerFailed(ILogger logger, Exception exception, string path);
}
