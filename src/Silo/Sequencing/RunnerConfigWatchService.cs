using Conductor.Grains.Sequencing;
using Conductor.Resources.Seam;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using k8s;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Sequencing;

/// <summary>
/// Activates a sequencer grain for every RunnerConfig that has steps still to run, from a watch on RunnerConfigs in the
/// sequencer's namespace; a deletion stops the grain. Every <see cref="ResyncInterval"/> it reconciles them all again,
/// so a missed event delays a step but never strands it.
/// </summary>
public sealed class RunnerConfigWatchService(
    IKubernetes client, SequencerDispatcher dispatcher, IOptions<SequencerOptions> options, IHostApplicationLifetime lifetime,
    TimeProvider time, ILoggerFactory loggers, WatchReadiness readiness) : IHostedService, IAsyncDisposable
{
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromMinutes(5);

    private readonly ResourceInformer<RunnerConfig> _informer = new(
        new CustomResourceSource<RunnerConfig>(client, options.Value.Namespace), time, loggers.CreateLogger<ResourceInformer<RunnerConfig>>(),
        readiness: readiness);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, long?> _generations = new(StringComparer.Ordinal);
    private IDisposable? _subscription;
    private CancellationTokenRegistration _started;
    private Task? _resync;

    /// <summary>Completes once the first list of RunnerConfigs has been handed to the grains.</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) => _informer.ReadyAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = _informer.Subscribe(OnChangedAsync);
        // Grain calls need the silo, which is up once the host has started every hosted service.
        _started = lifetime.ApplicationStarted.Register(() =>
        {
            _ = _informer.StartAsync(CancellationToken.None);
            _resync = ResyncAsync(_stopping.Token);
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _started.DisposeAsync();
        await _stopping.CancelAsync();
        await _informer.StopAsync(cancellationToken);
        if (_resync is { } resync)
        {
            await resync.WaitAsync(cancellationToken);
        }
        _subscription?.Dispose();
        await dispatcher.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _informer.DisposeAsync();
        await _stopping.CancelAsync();
    }

    private Task OnChangedAsync(ResourceEvent<RunnerConfig> change, CancellationToken cancellationToken)
    {
        var config = change.Object;
        var key = $"{config.Metadata.NamespaceProperty}/{config.Metadata.Name}";
        if (change.Type == WatchEventType.Deleted)
        {
            _generations.Remove(key);
            dispatcher.Enqueue(key, grain => grain.StopAsync());
            return Task.CompletedTask;
        }
        // A change of status alone (the sequencer's own writes, the capability publisher) needs no pass: what a pass
        // reacts to arrives as a spec change (generation), a Job event, or the periodic resync.
        var seen = _generations.TryGetValue(key, out var generation) && generation == config.Metadata.Generation;
        _generations[key] = config.Metadata.Generation;
        if ((change.Type == WatchEventType.Added || !seen) && NeedsSequencing(config))
        {
            dispatcher.Enqueue(key, grain => grain.ReconcileAsync());
        }
        return Task.CompletedTask;
    }

    /// <summary>Only RunnerConfigs with steps whose run has not ended: the sequencer's own final write needs no pass.</summary>
    private static bool NeedsSequencing(RunnerConfig config) =>
        (config.Spec.Steps?.Count ?? 0) > 0 && !StepPlanner.IsSettled(config.Status, config.Metadata.Generation);

    private async Task ResyncAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(ResyncInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                foreach (var config in _informer.Snapshot().Where(NeedsSequencing))
                {
                    dispatcher.Enqueue($"{config.Metadata.NamespaceProperty}/{config.Metadata.Name}", grain => grain.ReconcileAsync());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
