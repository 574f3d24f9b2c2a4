using System.Collections.Concurrent;
using Conductor.Grains.Sequencing;
using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Sequencing;

/// <summary>
/// The step Jobs as the silo's Job watch last delivered them, by name. <see cref="SequencerJobWatchService"/> updates it
/// before it hands the event to the grain, so the pass an event triggers finds at least that event's Job here.
/// </summary>
public sealed class SequencerJobCache : IStepJobCache
{
    private readonly ConcurrentDictionary<string, V1Job> _jobs = new(StringComparer.Ordinal);

    public V1Job? Find(string jobName) => _jobs.GetValueOrDefault(jobName);

    public void Apply(ResourceEvent<V1Job> change)
    {
        var job = change.Object;
        if (change.Type == WatchEventType.Deleted)
        {
            _jobs.TryRemove(job.Metadata.Name, out _);
        }
        else
        {
            _jobs[job.Metadata.Name] = job;
        }
    }
}
