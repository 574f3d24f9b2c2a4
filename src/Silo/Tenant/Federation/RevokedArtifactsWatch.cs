using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// Makes this replica's <see cref="RevokedArtifacts"/> follow ConfigMap <c>conductor-revoked-artifacts</c>, leader or
/// not: a <see cref="ResourceInformer{T}"/> lists it, watches from the list's resourceVersion, resumes from the last
/// version seen when a watch ends and relists on 410 Gone, so a follower misses no mark the leader writes. Readiness
/// waits for the first list (the marks already written are in force before the replica reports ready).
/// </summary>
public sealed class RevokedArtifactsWatch : IHostedService, IAsyncDisposable
{
    private readonly ResourceInformer<V1ConfigMap> _informer;
    private readonly IDisposable _subscription;

    public RevokedArtifactsWatch(
        RevokedArtifacts revoked, IResourceSource<V1ConfigMap> source, TimeProvider time, ILogger<RevokedArtifactsWatch> logger,
        WatchReadiness? readiness = null, ResourceInformerOptions? informerOptions = null)
    {
        _informer = new ResourceInformer<V1ConfigMap>(source, time, logger, informerOptions, readiness);
        _subscription = _informer.Subscribe((change, cancellationToken) =>
            revoked.ObserveAsync(change.Type == WatchEventType.Deleted ? null : change.Object, cancellationToken));
    }

    /// <summary>How many watches were opened (one more each time a watch ended and was resumed).</summary>
    public int WatchCount => _informer.WatchCount;

    /// <summary>How many full lists were made (one more per relist after 410 Gone or an error).</summary>
    public int ListCount => _informer.ListCount;

    /// <summary>Completes once the ConfigMap was first read and its marks applied.</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) => _informer.ReadyAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => _informer.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _informer.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _informer.DisposeAsync();
    }
}
