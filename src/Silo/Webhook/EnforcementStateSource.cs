using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Webhook;

/// <summary>The one ConfigMap that persists the enforcement mode, for a <see cref="ResourceInformer{T}"/>.</summary>
internal sealed class EnforcementStateSource(IKubernetes client, string @namespace) : IResourceSource<V1ConfigMap>
{
    private static readonly string Selector = $"metadata.name={EnforcementGate.ConfigMapName}";

    public string Description => $"ConfigMap {@namespace}/{EnforcementGate.ConfigMapName}";

    public async Task<ResourceSnapshot<V1ConfigMap>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNamespacedConfigMapAsync(@namespace, fieldSelector: Selector, cancellationToken: cancellationToken);
        return new ResourceSnapshot<V1ConfigMap>([.. list.Items], list.Metadata.ResourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1ConfigMap Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        client.CoreV1.WatchListNamespacedConfigMapAsync(@namespace, allowWatchBookmarks: true, fieldSelector: Selector,
            resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken);
}
