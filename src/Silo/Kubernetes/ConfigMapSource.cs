using k8s;
using k8s.Models;

namespace Conductor.Silo.Kubernetes;

/// <summary>One ConfigMap, by name, for a <see cref="ResourceInformer{T}"/> (a field selector on its name).</summary>
public sealed class ConfigMapSource(IKubernetes client, string @namespace, string name) : IResourceSource<V1ConfigMap>
{
    private readonly string _selector = $"metadata.name={name}";

    public string Description => $"ConfigMap {@namespace}/{name}";

    public async Task<ResourceSnapshot<V1ConfigMap>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNamespacedConfigMapAsync(@namespace, fieldSelector: _selector, cancellationToken: cancellationToken);
        return new ResourceSnapshot<V1ConfigMap>([.. list.Items], list.Metadata.ResourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1ConfigMap Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        client.CoreV1.WatchListNamespacedConfigMapAsync(@namespace, allowWatchBookmarks: true, fieldSelector: _selector,
            resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken);
}
