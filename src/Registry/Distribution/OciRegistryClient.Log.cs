using Microsoft.Extensions.Logging;

namespace Conductor.Registry.Distribution;

public sealed partial class OciRegistryClient
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Information,
        Message = "Pushing blob {Digest} ({Size} bytes, {Mode}) to {Registry}/{Repository}")]
    private static partial void LogPushingBlob(ILogger logger, string registry, string repository, string digest,
        long size, string mode);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Debug,
        Message = "Blob {Digest} already present in {Registry}/{Repository}, not uploading")]
    private static partial void LogBlobPresent(ILogger logger, string registry, string repository, string digest);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information,
        Message = "Putting manifest {Digest} as {Registry}/{Repository}:{Reference}")]
    private static partial void LogPuttingManifest(ILogger logger, string registry, string repository, string reference,
        string digest);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Debug,
        Message = "Getting manifest {Registry}/{Repository}:{Reference}")]
    private static partial void LogPullingManifest(ILogger logger, string registry, string repository, string reference);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Debug, Message = "Pulling blob {Digest} from {Registry}/{Repository}")]
    private static partial void LogPullingBlob(ILogger logger, string registry, string repository, string digest);
}
