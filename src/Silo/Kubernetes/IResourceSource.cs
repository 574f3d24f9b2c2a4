using k8s;
using k8s.Models;

namespace Conductor.Silo.Kubernetes;

/// <summary>Where a <see cref="ResourceInformer{T}"/> lists and watches one kind, in one namespace (or all), with one selector.</summary>
public interface IResourceSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>What is listed, for logs: for example <c>RunnerConfig in ont-system</c>.</summary>
    string Description { get; }

    /// <summary>Lists every object now, with the list's resourceVersion to watch from.</summary>
    Task<ResourceSnapshot<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks until the server ends the watch after
    /// <paramref name="timeoutSeconds"/>. ERROR events are not yielded: their Status goes to <paramref name="onError"/>
    /// as a <see cref="KubernetesException"/> (410 Gone means the version is too old and a relist is needed).
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);
}

/// <summary>One consistent list: the objects and the resourceVersion they were read at.</summary>
public sealed record ResourceSnapshot<T>(IReadOnlyList<T> Items, string ResourceVersion);
