using System.Net;
using System.Text.Json;
using Conductor.Runner;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// Observes the in-flight step: takes its Job from the watch cache (reading it from the API server only when the cache
/// does not hold it) and, once the Job has finished or is gone, reads the OperationResult document from the ConfigMap
/// named after the Job. The ConfigMap is always read from the API server: it is written before the Job turns
/// terminal, so that read never misses it.
/// </summary>
public sealed class ResultHarvester(IKubernetes client, IStepJobCache jobs)
{
    public async Task<StepObservation> ObserveAsync(string stepName, string @namespace, string jobName, CancellationToken cancellationToken)
    {
        var job = jobs.Find(jobName)
            ?? await ReadOrNullAsync(() => client.BatchV1.ReadNamespacedJobAsync(jobName, @namespace, cancellationToken: cancellationToken));
        var state = StateOf(job);
        if (state is JobState.Suspended or JobState.Active)
        {
            return new StepObservation(stepName, state, null);
        }
        var configMap = await ReadOrNullAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(jobName, @namespace, cancellationToken: cancellationToken));
        return new StepObservation(stepName, state, configMap?.Data?.TryGetValue(JobProtocol.ResultKey, out var text) == true ? Document(text) : null);
    }

    public static JobState StateOf(V1Job? job)
    {
        if (job is null)
        {
            return JobState.Absent;
        }
        var conditions = job.Status?.Conditions ?? [];
        if (conditions.Any(c => c.Type == "Complete" && c.Status == "True"))
        {
            return JobState.Complete;
        }
        if (conditions.Any(c => c.Type == "Failed" && c.Status == "True"))
        {
            return JobState.Failed;
        }
        return job.Spec?.Suspend == true ? JobState.Suspended : JobState.Active;
    }

    /// <summary>The document as written; text that is not JSON is kept as a JSON string so nothing is lost.</summary>
    private static JsonElement Document(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }

    private static async Task<T?> ReadOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
