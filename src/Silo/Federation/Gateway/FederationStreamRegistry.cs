using System.Collections.Concurrent;
using Conductor.Observability;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// The live streams of the tenant clusters: one per (cluster, replica), because every tenant replica ships the
/// audit events of its own WAL, and among them at most one control stream per cluster, the Lease leader's, which
/// the cluster's session grain talks to. A new stream from the same replica replaces that replica's old one, and a
/// new control stream replaces the cluster's old control stream (a former leader's), which is cancelled: after a
/// network partition the tenant reconnects before management notices its old stream is dead, and refusing the
/// newcomer would lock the tenant out until TCP gives up. Only a holder of that cluster's certificate can open a
/// stream for it, so replacement grants nothing an attacker did not already have. Connected tenants are counted
/// per cluster, however many replicas stream.
/// On shutdown <see cref="BeginDrain"/> asks every stream to finish cleanly and refuses new ones, and
/// <see cref="WhenDrainedAsync"/> waits until they have.
/// </summary>
public sealed class FederationStreamRegistry(ConductorMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<(string Cluster, string Replica), StreamLease> _streams = new();
    private readonly ConcurrentDictionary<string, StreamLease> _control = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perCluster = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<StreamLease, byte> _open = new();
    private readonly CancellationTokenSource _draining = new();

    /// <summary>Clusters with a live stream.</summary>
    public IReadOnlyCollection<string> ConnectedClusterIds
    {
        get
        {
            lock (_perCluster)
            {
                return [.. _perCluster.Keys];
            }
        }
    }

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

    /// <summary>Registers the single-replica agent's stream for <paramref name="clusterId"/>: its control stream.</summary>
    public StreamLease Register(string clusterId, CancellationToken callAborted) => Register(clusterId, "", control: true, callAborted);

    /// <summary>
    /// Registers a stream from <paramref name="replica"/> of <paramref name="clusterId"/>, cancelling the same
    /// replica's older stream and, for a <paramref name="control"/> stream, the cluster's older control stream.
    /// </summary>
    public StreamLease Register(string clusterId, string replica, bool control, CancellationToken callAborted)
    {
        var lease = new StreamLease(this, clusterId, replica, control, callAborted);
        _open[lease] = 0;
        lock (_perCluster)
        {
            _perCluster[clusterId] = _perCluster.GetValueOrDefault(clusterId) + 1;
            if (_perCluster[clusterId] == 1)
            {
                metrics?.TenantConnected();
            }
        }

        StreamLease? previous = null;
        _streams.AddOrUpdate((clusterId, replica), lease, (_, existing) =>
        {
            previous = existing;
            return lease;
        });
        previous?.Replace();
        if (control)
        {
            previous = null;
            _control.AddOrUpdate(clusterId, lease, (_, existing) =>
            {
                previous = existing;
                return lease;
            });
            previous?.Replace();
        }

        return lease;
    }

    private void Release(StreamLease lease)
    {
        if (!_open.TryRemove(lease, out _))
        {
            return;
        }

        // Remove only our own entries: a replaced stream ending late must not unregister its successor.
        _streams.TryRemove(new KeyValuePair<(string, string), StreamLease>((lease.ClusterId, lease.Replica), lease));
        _control.TryRemove(new KeyValuePair<string, StreamLease>(lease.ClusterId, lease));
        lock (_perCluster)
        {
            if (--_perCluster[lease.ClusterId] == 0)
            {
                _perCluster.Remove(lease.ClusterId);
                metrics?.TenantDisconnected();
            }
        }
    }

    /// <summary>A registered stream; dispose it when the stream ends.</summary>
    public sealed class StreamLease : IDisposable
    {
        private readonly FederationStreamRegistry _registry;
        private readonly CancellationTokenSource _cancellation;
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _replaced;

        internal StreamLease(FederationStreamRegistry registry, string clusterId, string replica, bool control, CancellationToken callAborted)
        {
            _registry = registry;
            (ClusterId, Replica, IsControl) = (clusterId, replica, control);
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(callAborted);
        }

        public string ClusterId { get; }

        /// <summary>The tenant replica (pod name) streaming; empty for a single-replica agent.</summary>
        public string Replica { get; }

        /// <summary>Whether this is the cluster's control stream (the leader's), the one the session grain talks to.</summary>
        public bool IsControl { get; }

        /// <summary>Cancelled when the call ends or a newer stream from the same replica (or a newer control stream) replaces this one.</summary>
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
