using System.Net;
using Conductor.Runner;
using Conductor.Runner.Results;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Executor.Results;

/// <summary>
/// Writes the OperationResult into ConfigMap {name} (key <see cref="JobProtocol.ResultKey"/>). Creates it; if it
/// already exists (a retried pod of the same Job), replaces it guarded by the resourceVersion just read, re-reading
/// on a conflict, so a concurrent writer is never silently overwritten with stale data.
/// </summary>
public sealed class ResultConfigMapWriter(IKubernetes client)
{
    private const int MaxConflictRetries = 3;

    public async Task WriteAsync(string @namespace, string name, IReadOnlyDictionary<string, string> labels, OperationResult result, CancellationToken cancellationToken)
    {
        var json = OperationResultJson.Serialize(result);
        var desired = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Labels = new Dictionary<string, string>(labels) },
            Data = new Dictionary<string, string> { [JobProtocol.ResultKey] = json },
        };
        try
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(desired, @namespace, cancellationToken: cancellationToken);
            return;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there: fall through to a guarded replace.
        }

        for (var attempt = 1; ; attempt++)
        {
            var existing = await client.CoreV1.ReadNamespacedConfigMapAsync(name, @namespace, cancellationToken: cancellationToken);
            existing.Data ??= new Dictionary<string, string>();
            existing.Data[JobProtocol.ResultKey] = json;
            existing.Metadata.Labels ??= new Dictionary<string, string>();
            foreach (var (key, value) in labels)
            {
                existing.Metadata.Labels[key] = value;
            }
            try
            {
                await client.CoreV1.ReplaceNamespacedConfigMapAsync(existing, name, @namespace, cancellationToken: cancellationToken);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < MaxConflictRetries)
            {
                // Someone wrote between our read and replace; read again.
            }
        }
    }
}
