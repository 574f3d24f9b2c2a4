using Conductor.Signing;
using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Signing;

/// <summary>
/// The signed-artifact Secrets, selected by <see cref="SignedArtifactSecret.ClusterLabel"/>: on management every one
/// (all namespaces, or the one it is limited to), on a tenant only its own cluster's in <c>seam-tenant-{cluster}</c>.
/// </summary>
public sealed class ArtifactSecretSource(IKubernetes client, string? @namespace, string? cluster) : IResourceSource<V1Secret>
{
    private readonly string _selector = cluster is null ? SignedArtifactSecret.ClusterLabel : $"{SignedArtifactSecret.ClusterLabel}={cluster}";
    private readonly string? _namespace = @namespace;

    public string Description => $"Secret in {_namespace ?? "all namespaces"} ({_selector})";

    public async Task<ResourceSnapshot<V1Secret>> ListAsync(CancellationToken cancellationToken)
    {
        var list = _namespace is null
            ? await client.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: _selector, cancellationToken: cancellationToken)
            : await client.CoreV1.ListNamespacedSecretAsync(_namespace, labelSelector: _selector, cancellationToken: cancellationToken);
        return new ResourceSnapshot<V1Secret>([.. list.Items], list.Metadata.ResourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1Secret Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        _namespace is null
            ? client.CoreV1.WatchListSecretForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: _selector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken)
            : client.CoreV1.WatchListNamespacedSecretAsync(_namespace, allowWatchBookmarks: true, labelSelector: _selector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken);
}
