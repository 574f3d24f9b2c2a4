using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Drift;

/// <summary>Every Node of the cluster, for the version drift check: a node joining or upgrading re-runs it.</summary>
public sealed class NodeSource(IKubernetes client) : IResourceSource<V1Node>
{
    public string Description => "Node";

    public async Task<ResourceSnapshot<V1Node>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        return new ResourceSnapshot<V1Node>([.. list.Items], list.Metadata.ResourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1Node Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
            onError: onError, cancellationToken: cancellationToken);
}
