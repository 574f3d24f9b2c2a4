using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Grains.Sequencing;

/// <summary>Creates a step's Job (an existing one with the same deterministic name counts as created) and removes the unfinished Jobs of a deleted RunnerConfig.</summary>
public sealed class StepJobs(IKubernetes client)
{
    /// <summary>Creates the Job; returns false when it already existed (a pass before a restart created it).</summary>
    public async Task<bool> CreateAsync(V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            await client.BatchV1.CreateNamespacedJobAsync(job, job.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Deletes the RunnerConfig's Jobs that have not finished, with their pods; returns their names.</summary>
    public async Task<IReadOnlyList<string>> DeleteUnfinishedAsync(string jobNamespace, string @namespace, string name, CancellationToken cancellationToken)
    {
        var key = $"{@namespace}/{name}";
        var jobs = await client.BatchV1.ListNamespacedJobAsync(jobNamespace, labelSelector: JobFactory.Selector(@namespace, name), cancellationToken: cancellationToken);
        var unfinished = jobs.Items
            .Where(j => j.Metadata.Annotations is { } annotations && annotations.TryGetValue(JobFactory.RunnerConfigKeyAnnotation, out var owner) && owner == key)
            .Where(j => ResultHarvester.StateOf(j) is JobState.Suspended or JobState.Active && j.Metadata.DeletionTimestamp is null)
            .Select(j => j.Metadata.Name)
            .ToList();
        foreach (var job in unfinished)
        {
            try
            {
                await client.BatchV1.DeleteNamespacedJobAsync(job, jobNamespace, propagationPolicy: "Background", cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // Gone already.
            }
        }
        return unfinished;
    }
}
