using Conductor.Federation;
using Conductor.Grains.Federation.Storage;
using Conductor.Observability;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Grains.Federation;

/// <summary>
/// Stores the audit events of one cluster replica's WAL (key <see cref="AuditSinkKey"/>) in Kubernetes (<see cref="AuditChunkStore"/>) and answers with the highest
/// contiguous stored sequence, only once it is stored. One chunk write per store in the common case: the mark
/// checkpoint is written only every <see cref="CheckpointEveryChunks"/> chunks and on deactivation, because the
/// chunks themselves say how far the run goes (activation follows them from the checkpoint). A replay of stored
/// events writes nothing.
/// </summary>
public sealed partial class AuditSinkGrain(
    IKubernetes kube, IOptions<FederationGrainOptions> options, ConductorMetrics metrics, ILogger<AuditSinkGrain> logger)
    : Grain, IAuditSinkGrain
{
    /// <summary>Chunks stored between two checkpoints: bounds the chain activation has to follow.</summary>
    public const int CheckpointEveryChunks = 8;

    private const int MaxMarkConflicts = 10;

    private string _clusterId = "";
    private AuditChunkStore _store = null!;
    private ulong _highWaterMark;
    private ulong _checkpoint;
    private string? _resourceVersion;
    private int _chunksSinceCheckpoint;
    private bool _hasStored;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Logged as the key, cluster/replica, so each replica's sequence space is told apart.
        _clusterId = this.GetPrimaryKeyString();
        var (clusterId, replica) = AuditSinkKey.Parse(_clusterId);
        _store = new AuditChunkStore(kube, options.Value.StoreNamespace, clusterId, replica);
        (_checkpoint, _resourceVersion) = await _store.ReadHighWaterMarkAsync(cancellationToken);
        _highWaterMark = await _store.FollowChunksAsync(_checkpoint, cancellationToken);
        // A checkpoint found lagging (a crash, a lost deactivation) is brought up to date at the next store.
        _chunksSinceCheckpoint = _highWaterMark == _checkpoint ? 0 : CheckpointEveryChunks;
        LogActivated(logger, _clusterId, _store.Namespace, _highWaterMark);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await CheckpointAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // Only a shortcut is lost: the next activation follows the chunks from the older checkpoint.
            LogCheckpointFailed(logger, e, _clusterId);
        }
    }

    public Task<ulong> GetHighWaterMarkAsync()
    {
        if (!_hasStored)
        {
            // Asked for the greeting of a stream and never given events: an idle tenant's sink need not stay in
            // memory for as long as the stream lasts. Its first batch activates it again from the store, which holds
            // everything this activation knew.
            DeactivateOnIdle();
        }

        return Task.FromResult(_highWaterMark);
    }

    public async Task<ulong> StoreAsync(AuditBatch batch)
    {
        _hasStored = true;
        metrics.AuditEventsReceived(batch.Events.Length);
        var before = _highWaterMark;
        var duplicates = 0;
        foreach (var e in batch.Events)
        {
            duplicates += e.Sequence <= _highWaterMark ? 1 : 0;
        }

        var chunks = 0;
        while (AuditChunking.ContiguousAfter(batch.Events, _highWaterMark) is { Count: > 0 } run)
        {
            var (events, payload) = AuditChunking.FirstChunk(run);
            LogStoring(logger, _clusterId, _store.Namespace, events[0].Sequence, events.Count);
            _highWaterMark = Math.Max(_highWaterMark, await _store.CreateChunkAsync(events, payload, CancellationToken.None));
            chunks++;
        }

        if (duplicates > 0)
        {
            LogDuplicates(logger, _clusterId, duplicates, _highWaterMark);
        }

        if (chunks > 0 && (_chunksSinceCheckpoint += chunks) >= CheckpointEveryChunks)
        {
            await CheckpointAsync(CancellationToken.None);
        }

        metrics.AuditEventsAcked((long)(_highWaterMark - before));
        return _highWaterMark;
    }

    /// <summary>Moves the stored checkpoint to the mark; a concurrent writer's higher checkpoint is kept.</summary>
    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (_checkpoint == _highWaterMark)
        {
            return;
        }

        for (var attempt = 0; attempt < MaxMarkConflicts; attempt++)
        {
            if (await _store.WriteHighWaterMarkAsync(_highWaterMark, _resourceVersion, cancellationToken) is { } written)
            {
                (_checkpoint, _resourceVersion, _chunksSinceCheckpoint) = (_highWaterMark, written, 0);
                return;
            }

            var (stored, resourceVersion) = await _store.ReadHighWaterMarkAsync(cancellationToken);
            LogMarkConflict(logger, _clusterId, stored, _highWaterMark);
            _resourceVersion = resourceVersion;
            if (stored >= _highWaterMark)
            {
                (_checkpoint, _chunksSinceCheckpoint) = (stored, 0);
                return;
            }
        }

        throw new InvalidOperationException(
            $"The audit high-water mark {_store.Namespace}/{_store.HighWaterMarkName} kept changing under cluster " +
            $"{_clusterId}'s audit sink; another writer is active. The chunks up to {_highWaterMark} are stored; only the checkpoint lags");
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

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning,
        Message = "Could not checkpoint the audit high-water mark of cluster {ClusterId} on deactivation; the next activation follows the chunks instead")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string clusterId);
}
