using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Kubernetes;

/// <summary>
/// A custom resource kind (group, version and plural read from its <see cref="KubernetesEntityAttribute"/>) through the
/// custom-objects API, deserialised into our model type. A null namespace lists and watches across all namespaces.
/// </summary>
public sealed class CustomResourceSource<T>(IKubernetes client, string? @namespace, string? labelSelector = null) : IResourceSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly KubernetesEntityAttribute Entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
        ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity]; a custom resource source needs its group, version and plural.");

    public string Description => $"{Entity.Kind} in {@namespace ?? "all namespaces"}" + (labelSelector is null ? "" : $" ({labelSelector})");

    public async Task<ResourceSnapshot<T>> ListAsync(CancellationToken cancellationToken)
    {
        var list = @namespace is null
            ? await client.CustomObjects.ListClusterCustomObjectAsync<ListDocument>(Entity.Group, Entity.ApiVersion, Entity.PluralName,
                labelSelector: labelSelector, cancellationToken: cancellationToken)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync<ListDocument>(Entity.Group, Entity.ApiVersion, @namespace,
                Entity.PluralName, labelSelector: labelSelector, cancellationToken: cancellationToken);
        return new ResourceSnapshot<T>(list.Items ?? [], list.Metadata?.ResourceVersion ?? "");
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = @namespace is null
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(Entity.Group, Entity.ApiVersion, Entity.PluralName,
                allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
                onError: onError, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(Entity.Group, Entity.ApiVersion, @namespace, Entity.PluralName,
                allowWatchBookmarks: true, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
                onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, raw) in events)
        {
            // The custom-objects watch yields untyped JSON; subscribers get the model type.
            var item = raw is JsonElement element ? KubernetesJson.Deserialize<T>(element) : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(raw));
            yield return (type, item);
        }
    }

    private sealed class ListDocument
    {
        [JsonPropertyName("metadata")]
        public V1ListMeta? Metadata { get; set; }

        [JsonPropertyName("items")]
        public List<T>? Items { get; set; }
    }
}
