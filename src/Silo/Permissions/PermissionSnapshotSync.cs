using Conductor.Resources.Guardian;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using k8s;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Permissions;

/// <summary>
/// Every replica (leader or not) watches the PermissionSnapshots and PermissionSnapshotReceipts in its own
/// namespace and, after each change, loads the snapshot a verified, acknowledged receipt vouches for, or clears the
/// store when none does any more. Nothing here depends on state only the leader fills.
/// </summary>
public sealed partial class PermissionSnapshotSync(
    IServiceProvider services, PermissionSnapshotStore store, IOptions<PermissionServiceOptions> options, TimeProvider time,
    ILogger<PermissionSnapshotSync> logger) : BackgroundService
{
    private readonly SemaphoreSlim _recompute = new(1, 1);
    private ResourceInformer<PermissionSnapshot>? _snapshots;
    private ResourceInformer<PermissionSnapshotReceipt>? _receipts;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IKubernetes client;
        try
        {
            client = services.GetRequiredService<IKubernetes>();
        }
        catch (InvalidOperationException e)
        {
            LogNoClient(logger, e.Message, e);
            return;
        }
        var settings = options.Value;
        // Registered before the first await, so the host never reports started while these lists are still unseen.
        var readiness = services.GetService<WatchReadiness>();
        await using var snapshots = new ResourceInformer<PermissionSnapshot>(
            new CustomResourceSource<PermissionSnapshot>(client, settings.Namespace), time, logger, readiness: readiness);
        await using var receipts = new ResourceInformer<PermissionSnapshotReceipt>(
            new CustomResourceSource<PermissionSnapshotReceipt>(client, settings.Namespace), time, logger, readiness: readiness);
        _snapshots = snapshots;
        _receipts = receipts;
        using var onSnapshot = snapshots.Subscribe((_, ct) => RecomputeAsync(ct));
        using var onReceipt = receipts.Subscribe((_, ct) => RecomputeAsync(ct));
        await snapshots.StartAsync(stoppingToken);
        await receipts.StartAsync(stoppingToken);
        try
        {
            await Task.WhenAll(snapshots.ReadyAsync(stoppingToken), receipts.ReadyAsync(stoppingToken));
            await RecomputeAsync(stoppingToken);
            await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        await receipts.StopAsync(CancellationToken.None);
        await snapshots.StopAsync(CancellationToken.None);
    }

    private async Task RecomputeAsync(CancellationToken cancellationToken)
    {
        if (_snapshots is null || _receipts is null)
        {
            return;
        }
        await _recompute.WaitAsync(cancellationToken);
        try
        {
            var cluster = options.Value.Cluster;
            var snapshots = _snapshots.Snapshot();
            var receipts = _receipts.Snapshot();
            var chosen = VerifiedSnapshotSelection.Select(snapshots, receipts, cluster);
            var current = store.Current;
            if (chosen is null)
            {
                if (current is not null)
                {
                    store.Clear();
                    LogCleared(logger, current.Name, current.Version);
                }
                foreach (var snapshot in snapshots.Where(s => s.Spec.TargetCluster == cluster))
                {
                    var objection = VerifiedSnapshotSelection.Objection(receipts.FirstOrDefault(r => r.Metadata.Name == snapshot.Metadata.Name), snapshot);
                    LogNotUsed(logger, snapshot.Metadata.Name, snapshot.Spec.Version, objection ?? "another snapshot was chosen");
                }
                return;
            }
            var loaded = SnapshotExpansion.Load(chosen);
            store.Load(loaded);
            if (current?.Name != loaded.Name || current.Version != loaded.Version || current.Grants.Count != loaded.Grants.Count)
            {
                LogLoaded(logger, loaded.Name, loaded.Version, loaded.Grants.Count, loaded.ByPrincipal.Count);
            }
        }
        finally
        {
            _recompute.Release();
        }
    }

    public override void Dispose()
    {
        _recompute.Dispose();
        base.Dispose();
    }

    [LoggerMessage(1, LogLevel.Error, "Cannot watch PermissionSnapshots, so this replica's PermissionService stays not ready: {Reason}")]
    private static partial void LogNoClient(ILogger logger, string reason, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "PermissionService answers from PermissionSnapshot {Name} version {Version}: {Grants} grants for {Principals} principals")]
    private static partial void LogLoaded(ILogger logger, string name, string version, int grants, int principals);

    [LoggerMessage(3, LogLevel.Warning, "PermissionSnapshot {Name} version {Version} is not used: {Objection}")]
    private static partial void LogNotUsed(ILogger logger, string name, string version, string objection);

    [LoggerMessage(4, LogLevel.Warning, "No verified PermissionSnapshot any more (last was {Name} version {Version}); the PermissionService is not ready and denies everything")]
    private static partial void LogCleared(ILogger logger, string name, string version);
}
