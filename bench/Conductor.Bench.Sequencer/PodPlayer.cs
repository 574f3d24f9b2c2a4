using System.Collections.Concurrent;
using System.Diagnostics;
using Conductor.Runner;
using Conductor.Runner.Results;
using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conductor.Bench.Sequencer;

/// <summary>
/// Plays the pod of every step Job as it appears (the server has no kubelet): writes a succeeded OperationResult into the
/// Job's result ConfigMap, then marks the Job Complete through /status, remembering when that write was sent.
/// </summary>
public sealed class PodPlayer(IKubernetes client, string @namespace, string prefix, int parallelism) : IAsyncDisposable
{
    private readonly ResourceInformer<V1Job> _jobs = new(new JobSource(client, @namespace, JobProtocol.RunnerConfigLabel), TimeProvider.System, NullLogger.Instance);
    private readonly SemaphoreSlim _slots = new(parallelism);
    private readonly ConcurrentDictionary<string, long> _terminalAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _terminalSeenAt = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _plays = [];
    private IDisposable? _subscription;

    /// <summary>Stopwatch timestamp taken just before each Job's terminal status was sent, by Job name.</summary>
    public IReadOnlyDictionary<string, long> TerminalAt => _terminalAt;

    /// <summary>
    /// Stopwatch timestamp at which this process's own Job watch delivered each Job's terminal status: the floor of
    /// watch delivery under the same load, which the sequencer's Job watch pays before a pass can start.
    /// </summary>
    public IReadOnlyDictionary<string, long> TerminalSeenAt => _terminalSeenAt;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = _jobs.Subscribe((change, _) =>
        {
            if (change.Type == WatchEventType.Added && change.Object.Metadata.Name.StartsWith(prefix + "-", StringComparison.Ordinal)
                && !_terminalAt.ContainsKey(change.Object.Metadata.Name))
            {
                _plays.Add(PlayAsync(change.Object.Metadata.Name, change.Object.Spec.Template.Spec.Containers[0]));
            }
            else if (change.Type == WatchEventType.Modified && change.Object.Status?.Conditions?.Any(c => c.Type == "Complete") == true)
            {
                _terminalSeenAt.TryAdd(change.Object.Metadata.Name, Stopwatch.GetTimestamp());
            }
            return Task.CompletedTask;
        });
        await _jobs.StartAsync(cancellationToken);
        await _jobs.ReadyAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await _jobs.DisposeAsync();
        await Task.WhenAll(_plays);
    }

    private async Task PlayAsync(string job, V1Container container)
    {
        await _slots.WaitAsync();
        try
        {
            var capability = container.Env.First(e => e.Name == JobProtocol.CapabilityEnvVar).Value;
            var now = DateTimeOffset.UtcNow;
            var result = new OperationResult { Capability = capability, Phase = "done", Status = OperationStatus.Succeeded, StartedAt = now, CompletedAt = now };
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = job },
                Data = new Dictionary<string, string> { [JobProtocol.ResultKey] = OperationResultJson.Serialize(result) },
            }, @namespace);
            var current = await client.BatchV1.ReadNamespacedJobAsync(job, @namespace);
            var time = DateTime.UtcNow;
            current.Status = new V1JobStatus
            {
                StartTime = time,
                CompletionTime = time,
                Succeeded = 1,
                Conditions = [new V1JobCondition { Type = "Complete", Status = "True", LastProbeTime = time, LastTransitionTime = time }],
            };
            _terminalAt[job] = Stopwatch.GetTimestamp();
            await client.BatchV1.ReplaceNamespacedJobStatusAsync(current, job, @namespace);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"playing the pod of Job {job} failed: {e.Message}");
        }
        finally
        {
            _slots.Release();
        }
    }
}
