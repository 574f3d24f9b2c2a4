using Conductor.Grains.Sequencing;
using Conductor.Runner;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Sequencing;

/// <summary>
/// Watches the step Jobs (those carrying the RunnerConfig label) and tells the owning sequencer grain about every
/// change, which is what makes the path from a finished Job to its StepResult watch-driven rather than polled. The
/// grain reads the Job from <see cref="SequencerJobCache"/>, which this watch keeps, instead of from the API server.
/// </summary>
public sealed class SequencerJobWatchService(
    IKubernetes client, SequencerDispatcher dispatcher, SequencerJobCache cache, IOptions<SequencerOptions> options, IHostApplicationLifetime lifetime,
    TimeProvider time, ILoggerFactory loggers, WatchReadiness readiness) : IHostedService, IAsyncDisposable
{
    private readonly ResourceInformer<V1Job> _informer = new(
        new JobSource(client, options.Value.Namespace, JobProtocol.RunnerConfigLabel), time, loggers.CreateLogger<ResourceInformer<V1Job>>(),
        readiness: readiness);
    private IDisposable? _subscription;
    private CancellationTokenRegistration _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = _informer.Subscribe(OnChangedAsync);
        _started = lifetime.ApplicationStarted.Register(() => _ = _informer.StartAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _started.DisposeAsync();
        await _informer.StopAsync(cancellationToken);
        _subscription?.Dispose();
    }

    public ValueTask DisposeAsync() => _informer.DisposeAsync();

    private Task OnChangedAsync(ResourceEvent<V1Job> change, CancellationToken cancellationToken)
    {
        var job = change.Object;
        cache.Apply(change);
        if (job.Metadata.Annotations is { } annotations
            && annotations.TryGetValue(JobFactory.RunnerConfigKeyAnnotation, out var key) && key.Contains('/', StringComparison.Ordinal))
        {
            var name = job.Metadata.Name;
            dispatcher.Enqueue(key, grain => grain.OnJobChangedAsync(name));
        }
        return Task.CompletedTask;
    }
}
