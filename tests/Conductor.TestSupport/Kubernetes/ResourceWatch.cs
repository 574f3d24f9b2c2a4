using System.Reflection;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Conductor.TestSupport.Kubernetes;

/// <summary>Waits, with a cap, for a watch event on a Seam kind that matches a predicate.</summary>
public static class ResourceWatch
{
    public static readonly TimeSpan DefaultCap = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Watches <typeparamref name="T"/> in <paramref name="namespace"/> from <paramref name="resourceVersion"/>
    /// (so events that happened before the call are still seen) and returns the first match.
    /// </summary>
    public static async Task<(WatchEventType Type, T Object)> WaitForAsync<T>(
        IKubernetes client, string @namespace, string resourceVersion, Func<WatchEventType, T, bool> match,
        TimeSpan? cap = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity].");
        var limit = cap ?? DefaultCap;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var seen = new List<string>();
        var from = resourceVersion;
        try
        {
            // The server may end a watch early (a CRD's storage restarting, an idle timeout): resume from the last
            // event seen until the cap, as an informer would.
            while (true)
            {
                try
                {
                    var events = client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                        group: entity.Group, version: entity.ApiVersion, namespaceParameter: @namespace, plural: entity.PluralName,
                        resourceVersion: from, cancellationToken: timeout.Token);
                    await foreach (var (type, raw) in events)
                    {
                        // The custom-objects watch yields untyped JSON; the typed model is what the test asserts on.
                        var item = raw is JsonElement element ? KubernetesJson.Deserialize<T>(element) : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(raw));
                        seen.Add($"{type} {item.Metadata?.Name}@{item.Metadata?.ResourceVersion}");
                        if (match(type, item))
                        {
                            return (type, item);
                        }
                        from = item.Metadata?.ResourceVersion ?? from;
                    }
                }
                catch (Exception e) when (e is EndOfStreamException or IOException or HttpRequestException)
                {
                    seen.Add($"(watch ended: {e.GetType().Name})");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The cap elapsed: report below what was seen instead.
        }
        throw new TimeoutException(
            $"No matching {entity.Kind} watch event in {@namespace} within {limit.TotalSeconds} s; saw: [{string.Join(", ", seen)}]");
    }
}
