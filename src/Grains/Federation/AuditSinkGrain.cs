using Conductor.Federation;
using Conductor.Grains.Federation.Storage;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Grains.Federation;

/// <summary>
/// Stores one cluster's audit events in Kubernetes (<see cref="AuditChunkStore"/>) and answers with the highest
/// contiguous stored sequence, only once it is stored. The in-memory mark is a cache rebuilt from the
/// high-water-mark ConfigMap on activation; a replay of stored events writes nothing.
/// </summary>
public sealed partial class AuditSinkGrain(IKubernetes kube, IOptions<FederationGrainOptions> options, ILogger<AuditSinkGrain> logger)
    : Grain, IAuditSinkGrain
{
    private const int MaxMarkConflicts = 10;

    private string _clusterId = "";
    private AuditChunkStore _store = null!;
    private ulong _highWaterMark;
    private string? _resourceVersion;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _clusterId = this.GetPrimaryKeyString();
        _store = new AuditChunkStore(kube, options.Value.StoreNamespace, _clusterId);
        (_highWaterMark, _resourceVersion) = await _store.ReadHighWaterMarkAsync(cancellationToken);
        LogActivated(logger, _clusterId, _store.Namespace, _highWaterMark);
    }

    public Task<ulong> GetHighWaterMarkAsync() => Task.FromResult(_highWaterMark);

    public async Task<ulong> StoreAsync(AuditBatch batch)
    {
        var duplicates = batch.Events.Count(e => e.Sequence <= _highWaterMark);
        while (AuditChunking.ContiguousAfter(batch.Events, _highWaterMark) is { Count: > 0 } run)
        {
            var (events, json) = AuditChunking.FirstChunk(run);
            LogStoring(logger, _clusterId, _store.Namespace, events[0].Sequence, events.Count);
            var held = await _store.CreateChunkAsync(events, json, CancellationToken.None);
            await AdvanceAsync(held);
        }

        if (duplicates > 0)
        {
            LogDuplicates(logger, _clusterId, duplicates, _highWaterMark);
        }

        return _highWaterMark;
    }

    /// <summary>Moves the durable mark to <paramref name="value"/>; a concurrent writer's higher mark is adopted.</summary>
    private async Task AdvanceAsync(ulong value)
    {
        for (var attempt = 0; attempt < MaxMarkConflicts; attempt++)
        {
            if (await _store.WriteHighWaterMarkAsync(value, _resourceVersion, CancellationToken.None) is { } written)
            {
                (_highWaterMark, _resourceVersion) = (value, written);
                return;
            }

            var (stored, resourceVersion) = await _store.ReadHighWaterMarkAsync(CancellationToken.None);
            LogMarkConflict(logger, _clusterId, stored, value);
            (_highWaterMark, _resourceVersion) = (Math.Max(_highWaterMark, stored), resourceVersion);
            if (stored >= value)
            {
                _highWaterMark = stored;
                return;
            }
        }

        throw new InvalidOperationException(
            $"The audit high-water mark {_store.Namespace}/{_store.HighWaterMarkName} kept changing under cluster " +
            $"{_clusterId}'s audit sink; another writer is active. Nothing was acknowledged past {_highWaterMark}");
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug,
        Message = "Audit sink of cluster {ClusterId} activated from {Namespace} at high-water mark {HighWaterMark}")]
    private static partial void LogActivated(ILogger logger, string clusterId, string @namespace, ulong highWaterMark);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug,
        Message = "Storing audit chunk of cluster {ClusterId} in {Namespace} from sequence {FirstSequence} with {Count} events")]
    private static partial void LogStoring(ILogger logger, string clusterId, string @namespace, ulong firstSequence, int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information,
        Message = "Cluster {ClusterId} resent {Count} audit events already stored (high-water mark {HighWaterMark}); ignored")]
    private static partial void LogDuplicates(ILogger logger, string clusterId, int count, ulong highWaterMark);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning,
        Message = "Audit high-water mark of cluster {ClusterId} was written by someone else (stored {Stored}, ours {Value}); re-reading")]
    private static partial void LogMarkConflict(ILogger logger, string clusterId, ulong stored, ulong value);
}
