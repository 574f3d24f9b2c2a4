using System.Collections.Concurrent;
using Conductor.Observability;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// The one live stream per tenant cluster. A new stream from a cluster replaces the old one, which is cancelled:
/// after a network partition the tenant reconnects before management notices its old stream is dead, and
/// refusing the newcomer would lock the tenant out until TCP gives up. Only a holder of that cluster's
/// certificate can open a stream for it, so replacement grants nothing an attacker did not already have.
/// On shutdown <see cref="BeginDrain"/> asks every stream to finish cleanly and refuses new ones, and
/// <see cref="WhenDrainedAsync"/> waits until they have.
/// </summary>
public sealed class FederationStreamRegistry(ConductorMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<string, StreamLease> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<StreamLease, byte> _open = new();
    private readonly CancellationTokenSource _draining = new();

    /// <summary>Clusters with a live stream.</summary>
    public IReadOnlyCollection<string> ConnectedClusterIds => [.. _streams.Keys];

    /// <summary>True once the replica is shutting down: streams are finishing and new ones are refused.</summary>
    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Cancelled when the replica starts shutting down.</summary>
    public CancellationToken Draining => _draining.Token;

    /// <summary>Open streams, replaced ones that have not ended yet included.</summary>
    public int OpenStreams => _open.Count;

    /// <summary>Asks every stream to finish cleanly (idempotent).</summary>
    public void BeginDrain() => _draining.Cancel();

    /// <summary>Completes when every stream open now has ended.</summary>
    public Task WhenDrainedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_open.Keys.Select(l => l.Ended)).WaitAsync(cancellationToken);

    /// <summary>Registers a stream for <paramref name="clusterId"/>, cancelling the one it replaces.</summary>
    public StreamLease Register(string clusterId, CancellationToken callAborted)
    {
        var lease = new StreamLease(this, clusterId, callAborted);
        _open[lease] = 0;
        StreamLease? previous = null;
        _streams.AddOrUpdate(clusterId, lease, (_, existing) =>
        {
            previous = existing;
            return lease;
        });
        if (previous is null)
        {
            metrics?.TenantConnected();
        }
        previous?.Replace();
        return lease;
    }

    private void Release(StreamLease lease)
    {
        _open.TryRemove(lease, out _);
        // Remove only our own entry: a replaced stream ending late must not unregister its successor.
        if (_streams.TryRemove(new KeyValuePair<string, StreamLease>(lease.ClusterId, lease)))
        {
            metrics?.TenantDisconnected();
        }
    }

    /// <summary>A registered stream; dispose it when the stream ends.</summary>
    public sealed class StreamLease : IDisposable
    {
        private readonly FederationStreamRegistry _registry;
        private readonly CancellationTokenSource _cancellation;
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _replaced;

        internal StreamLease(FederationStreamRegistry registry, string clusterId, CancellationToken callAborted)
        {
            _registry = registry;
            ClusterId = clusterId;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(callAborted);
        }

        public string ClusterId { get; }

        /// <summary>Cancelled when the call ends or a newer stream from the same cluster replaces this one.</summary>
        public CancellationToken Token => _cancellation.Token;

        public bool IsReplaced => Volatile.Read(ref _replaced) == 1;

        /// <summary>Completes when the stream has ended.</summary>
        public Task Ended => _ended.Task;

        public void Dispose()
        {
            _registry.Release(this);
            _cancellation.Dispose();
            _ended.TrySetResult();
        }

        internal void Replace()
        {
            Volatile.Write(ref _replaced, 1);
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It ended on its own meanwhile.
            }
        }
    }
}
