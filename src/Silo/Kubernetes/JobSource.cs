using k8s;
using k8s.Models;

namespace Conductor.Silo.Kubernetes;

/// <summary>batch/v1 Jobs in one namespace, optionally narrowed by a label selector.</summary>
public sealed class JobSource(IKubernetes client, string @namespace, string? labelSelector = null) : IResourceSource<V1Job>
{
    public string Description => labelSelector is null ? $"Job in {@namespace}" : $"Job in {@namespace} ({labelSelector})";

    public async Task<ResourceSnapshot<V1Job>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.BatchV1.ListNamespacedJobAsync(@namespace, labelSelector: labelSelector, cancellationToken: cancellationToken);
        return new ResourceSnapshot<V1Job>([.. list.Items], list.Metadata.ResourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1Job Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        client.BatchV1.WatchListNamespacedJobAsync(@namespace, allowWatchBookmarks: true, labelSelector: labelSelector,
            resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken);
}
