using Conductor.Resources.Dispatcher;
using Conductor.Resources.Platform;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Leadership;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Drift;

/// <summary>
/// Tenant drift detection (agent notes §3.6, §3.8), watch-driven: a PackReceipt event re-checks that receipt; a
/// TalosCluster or Node event re-checks the versions. Deployed objects of arbitrary kinds are not watched, so the
/// resync re-checks everything every <see cref="DriftOptions.ResyncPeriod"/>. Only the leader writes signals.
/// </summary>
public sealed class TenantDriftService : IHostedService, IAsyncDisposable
{
    private const string Versions = "";

    private readonly DriftOptions _options;
    private readonly TenantDriftReconciler _reconciler;
    private readonly ResourceInformer<PackReceipt> _receipts;
    private readonly ResourceInformer<TalosCluster> _clusters;
    private readonly ResourceInformer<V1Node> _nodes;
    private readonly DriftWorkLoop<string> _loop;
    private readonly List<IDisposable> _subscriptions = [];

    public TenantDriftService(DriftOptions options, IKubernetes local, TenantDriftReconciler reconciler, ILeadership leadership, TimeProvider time,
        ILoggerFactory loggers, WatchReadiness? readiness = null)
    {
        _options = options;
        _reconciler = reconciler;
        _receipts = new ResourceInformer<PackReceipt>(new CustomResourceSource<PackReceipt>(local, options.Namespace), time,
            loggers.CreateLogger<ResourceInformer<PackReceipt>>(), readiness: readiness);
        _clusters = new ResourceInformer<TalosCluster>(new CustomResourceSource<TalosCluster>(local, options.Namespace), time,
            loggers.CreateLogger<ResourceInformer<TalosCluster>>(), readiness: readiness);
        _nodes = new ResourceInformer<V1Node>(new NodeSource(local), time, loggers.CreateLogger<ResourceInformer<V1Node>>(), readiness: readiness);
        // Receipt keys are their names; the empty key (no receipt can be named "") stands for the version check.
        _loop = new DriftWorkLoop<string>("PackReceipt and TalosCluster", AllKeys, ProcessAsync, leadership, options.ResyncPeriod, time,
            loggers.CreateLogger<TenantDriftService>());
    }

    /// <summary>Checks made so far.</summary>
    public int Processed => _loop.Processed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(_receipts.Subscribe((change, _) =>
        {
            if (change.Type != WatchEventType.Deleted)
            {
                _loop.Enqueue(change.Object.Metadata.Name);
            }
            return Task.CompletedTask;
        }));
        _subscriptions.Add(_clusters.Subscribe((_, _) => EnqueueVersions()));
        _subscriptions.Add(_nodes.Subscribe((_, _) => EnqueueVersions()));
        await _receipts.StartAsync(cancellationToken);
        await _clusters.StartAsync(cancellationToken);
        await _nodes.StartAsync(cancellationToken);
        _loop.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _loop.DisposeAsync();
        await _receipts.StopAsync(cancellationToken);
        await _clusters.StopAsync(cancellationToken);
        await _nodes.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _subscriptions.ForEach(s => s.Dispose());
        await _receipts.DisposeAsync();
        await _clusters.DisposeAsync();
        await _nodes.DisposeAsync();
    }

    private Task EnqueueVersions()
    {
        _loop.Enqueue(Versions);
        return Task.CompletedTask;
    }

    private IEnumerable<string> AllKeys() => [Versions, .. _receipts.Snapshot().Select(r => r.Metadata.Name)];

    private async Task ProcessAsync(string key, CancellationToken cancellationToken)
    {
        if (key == Versions)
        {
            var desired = _clusters.Snapshot().FirstOrDefault(c => c.Metadata.Name == _options.ClusterRef);
            await _reconciler.ReconcileVersionsAsync(desired, _nodes.Snapshot(), cancellationToken);
            return;
        }
        if (_receipts.Snapshot().FirstOrDefault(r => r.Metadata.Name == key) is { } receipt)
        {
            await _reconciler.ReconcileReceiptAsync(receipt, cancellationToken);
        }
    }
}
