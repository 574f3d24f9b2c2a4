using System.Collections.Concurrent;
using Conductor.Observability;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// The one live stream per tenant cluster. A new stream from a cluster replaces the old one, which is cancelled:
/// after a network partition the tenant reconnects before management notices its old stream is dead, and
/// refusing the newcomer would lock the tenant out until TCP gives up. Only a holder of that cluster's
/// certificate can open a stream for it, so replacement grants nothing an attacker did not already have.
/// </summary>
public sealed class FederationStreamRegistry(ConductorMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<string, StreamLease> _streams = new(StringComparer.Ordinal);

    /// <summary>Clusters with a live stream.</summary>
    public IReadOnlyCollection<string> ConnectedClusterIds => [.. _streams.Keys];

    /// <summary>Registers a stream for <paramref name="clusterId"/>, cancelling the one it replaces.</summary>
    public StreamLease Register(string clusterId, CancellationToken callAborted)
    {
        var lease = new StreamLease(this, clusterId, callAborted);
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

        public void Dispose()
        {
            _registry.Release(this);
            _cancellation.Dispose();
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
