using Conductor.Resources.Seam;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Leadership;
using Microsoft.Extensions.Options;
using k8s;

namespace Conductor.Silo.Drift;

/// <summary>
/// Runs <see cref="DriftSignalHandler"/> on management, watch-driven over DriftSignals in every namespace, with one
/// writer: the Lease leader. A hosted service rather than a grain per signal, because all of a signal's state is the
/// signal itself and every write is resourceVersion-guarded: a single leader-gated worker gives the one-writer rule
/// without grain placement, and a restarted silo simply re-lists.
/// </summary>
public sealed class DriftSignalHandlerService : IHostedService, IAsyncDisposable
{
    private readonly ResourceInformer<DriftSignal> _signals;
    private readonly DriftSignalHandler _handler;
    private readonly DriftWorkLoop<string> _loop;
    private IDisposable? _subscription;

    public DriftSignalHandlerService(IOptions<DriftOptions> options, IKubernetes client, ILeadership leadership, LeaderOnlyWriter writer, TimeProvider time,
        ILoggerFactory loggers, WatchReadiness? readiness = null)
    {
        var settings = options.Value;
        _signals = new ResourceInformer<DriftSignal>(new CustomResourceSource<DriftSignal>(client, null), time,
            loggers.CreateLogger<ResourceInformer<DriftSignal>>(), readiness: readiness);
        _handler = new DriftSignalHandler(client, writer, time, settings.EscalationLimit, loggers.CreateLogger<DriftSignalHandler>());
        _loop = new DriftWorkLoop<string>("DriftSignal", () => _signals.Snapshot().Select(Key), ProcessAsync, leadership, settings.ResyncPeriod, time,
            loggers.CreateLogger<DriftSignalHandlerService>());
    }

    /// <summary>Signals handled so far.</summary>
    public int Processed => _loop.Processed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = _signals.Subscribe((change, _) =>
        {
            if (change.Type != k8s.WatchEventType.Deleted)
            {
                _loop.Enqueue(Key(change.Object));
            }
            return Task.CompletedTask;
        });
        await _signals.StartAsync(cancellationToken);
        _loop.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _loop.DisposeAsync();
        await _signals.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _subscription?.Dispose();
        await _signals.DisposeAsync();
    }

    private static string Key(DriftSignal signal) => $"{signal.Metadata.NamespaceProperty}/{signal.Metadata.Name}";

    private async Task ProcessAsync(string key, CancellationToken cancellationToken)
    {
        if (_signals.Snapshot().FirstOrDefault(s => Key(s) == key) is { } signal)
        {
            await _handler.HandleAsync(signal, cancellationToken);
        }
    }
}
