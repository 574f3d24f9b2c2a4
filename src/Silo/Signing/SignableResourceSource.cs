using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conductor.Grains.Signing;
using Conductor.Signing;
using Conductor.Silo.Kubernetes;
using k8s;
using k8s.Models;

namespace Conductor.Silo.Signing;

/// <summary>One signed kind through the custom-objects API, keeping the spec as raw JSON (see <see cref="SignableResource"/>).</summary>
public sealed class SignableResourceSource(IKubernetes client, SignedKind kind, string? @namespace) : IResourceSource<SignableResource>
{
    private readonly SignedKindApi _api = SignedKindApi.Of(kind);

    public string Description => $"{_api.KindName} in {@namespace ?? "all namespaces"}";

    public async Task<ResourceSnapshot<SignableResource>> ListAsync(CancellationToken cancellationToken)
    {
        var list = @namespace is null
            ? await client.CustomObjects.ListClusterCustomObjectAsync<ListDocument>(_api.Group, _api.Version, _api.Plural, cancellationToken: cancellationToken)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync<ListDocument>(_api.Group, _api.Version, @namespace, _api.Plural,
                cancellationToken: cancellationToken);
        return new ResourceSnapshot<SignableResource>(list.Items ?? [], list.Metadata?.ResourceVersion ?? "");
    }

    public async IAsyncEnumerable<(WatchEventType Type, SignableResource Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = @namespace is null
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(_api.Group, _api.Version, _api.Plural, allowWatchBookmarks: true,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(_api.Group, _api.Version, @namespace, _api.Plural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError,
                cancellationToken: cancellationToken);
        await foreach (var (type, raw) in events)
        {
            var item = raw is JsonElement element
                ? KubernetesJson.Deserialize<SignableResource>(element)
                : KubernetesJson.Deserialize<SignableResource>(KubernetesJson.Serialize(raw));
            yield return (type, item);
        }
    }

    private sealed class ListDocument
    {
        [JsonPropertyName("metadata")]
        public V1ListMeta? Metadata { get; set; }

        [JsonPropertyName("items")]
        public List<SignableResource>? Items { get; set; }
    }
}
