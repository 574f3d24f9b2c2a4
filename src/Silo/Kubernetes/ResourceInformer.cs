using System.Net;
using Conductor.Silo.Health;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Silo.Kubernetes;

/// <summary>
/// Keeps an up-to-date view of one kind and tells subscribers what changed: list, then watch from the list's
/// resourceVersion with bookmarks, watch again from the last version seen when the server ends a watch, relist on
/// 410 Gone (delivering the difference as events), and back off with jitter after errors. Events are delivered one at
/// a time, in order; a subscriber that throws is logged and does not stop the others.
/// </summary>
public sealed partial class ResourceInformer<T> : IHostedService, IAsyncDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IResourceSource<T> _source;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResourceInformerOptions _options;
    private readonly Dictionary<string, T> _cache = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private IReadOnlyList<Func<ResourceEvent<T>, CancellationToken, Task>> _subscribers = [];
    private Task? _loop;
    private int _listCount;
    private int _watchCount;
    private int _disposed;
    private readonly WatchSync? _sync;

    /// <param name="readiness">When given, readiness waits for this informer's first list (and names it until then).</param>
    public ResourceInformer(
        IResourceSource<T> source, TimeProvider time, ILogger logger, ResourceInformerOptions? options = null, WatchReadiness? readiness = null)
    {
        _source = source;
        _time = time;
        _logger = logger;
        _options = options ?? new ResourceInformerOptions();
        _sync = readiness?.Register(source.Description);
    }

    /// <summary>How many full lists were made: 1 after the first sync, one more per relist (410 Gone or error).</summary>
    public int ListCount => Volatile.Read(ref _listCount);

    /// <summary>How many watches were opened.</summary>
    public int WatchCount => Volatile.Read(ref _watchCount);

    /// <summary>The objects as last seen, keyed <c>namespace/name</c>.</summary>
    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _cache.Values];
        }
    }

    /// <summary>
    /// Adds a subscriber for every event from now on (the first list arrives as Added events). Dispose the result to
    /// unsubscribe.
    /// </summary>
    public IDisposable Subscribe(Func<ResourceEvent<T>, CancellationToken, Task> handler)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, handler];
        }
        return new Subscription(this, handler);
    }

    /// <summary>Completes once the first list has been delivered.</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Starts the loop in the background and returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Cancels the current list or watch and waits for the loop to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _sync?.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        string? resourceVersion = null;
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    LogListing(_logger, _source.Description);
                    var snapshot = await _source.ListAsync(stopping);
                    Interlocked.Increment(ref _listCount);
                    resourceVersion = snapshot.ResourceVersion;
                    await ReplaceAsync(snapshot.Items, stopping);
                    _ready.TrySetResult();
                    _sync?.MarkSynced();
                }
                resourceVersion = await WatchAsync(resourceVersion, stopping);
                failures = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (HttpRequestException e) when (e.InnerException is EndOfStreamException)
            {
                // The client reports a watch the server ended before any event as a truncated stream: a normal end.
                failures = 0;
            }
            catch (ResourceVersionGoneException)
            {
                LogRelisting(_logger, _source.Description, resourceVersion ?? "");
                resourceVersion = null;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                LogRelisting(_logger, _source.Description, resourceVersion ?? "");
                resourceVersion = null;
            }
            catch (Exception e)
            {
                failures++;
                _sync?.ReportFailure(e.Message);
                var delay = Backoff(failures);
                LogFailed(_logger, _source.Description, failures, delay.TotalMilliseconds, e.Message, e);
                try
                {
                    await Task.Delay(delay, _time, stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        LogStopped(_logger, _source.Description);
    }

    /// <summary>One watch; returns the last resourceVersion seen when the server ends it normally.</summary>
    private async Task<string> WatchAsync(string resourceVersion, CancellationToken stopping)
    {
        Exception? error = null;
        Interlocked.Increment(ref _watchCount);
        var timeoutSeconds = (int)Math.Max(1, _options.WatchTimeout.TotalSeconds);
        await foreach (var (type, item) in _source.WatchAsync(resourceVersion, timeoutSeconds, e => error ??= e, stopping))
        {
            resourceVersion = item.Metadata?.ResourceVersion is { Length: > 0 } version ? version : resourceVersion;
            if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
            {
                Apply(type, item);
                await DeliverAsync(new ResourceEvent<T>(type, item), stopping);
            }
        }
        return error switch
        {
            null => resourceVersion,
            KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => throw new ResourceVersionGoneException(),
            _ => throw new InvalidOperationException($"the watch of {_source.Description} reported: {error.Message}", error),
        };
    }

    private void Apply(WatchEventType type, T item)
    {
        lock (_gate)
        {
            if (type == WatchEventType.Deleted)
            {
                _cache.Remove(Key(item));
            }
            else
            {
                _cache[Key(item)] = item;
            }
        }
    }

    /// <summary>Replaces the cache with a fresh list and delivers the difference, so a relist loses no deletion.</summary>
    private async Task ReplaceAsync(IReadOnlyList<T> items, CancellationToken stopping)
    {
        var changes = new List<ResourceEvent<T>>();
        lock (_gate)
        {
            var fresh = items.ToDictionary(Key, StringComparer.Ordinal);
            foreach (var (key, old) in _cache)
            {
                if (!fresh.ContainsKey(key))
                {
                    changes.Add(new ResourceEvent<T>(WatchEventType.Deleted, old));
                }
            }
            foreach (var (key, item) in fresh)
            {
                if (!_cache.TryGetValue(key, out var old))
                {
                    changes.Add(new ResourceEvent<T>(WatchEventType.Added, item));
                }
                else if (old.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
                {
                    changes.Add(new ResourceEvent<T>(WatchEventType.Modified, item));
                }
            }
            _cache.Clear();
            foreach (var (key, item) in fresh)
            {
                _cache[key] = item;
            }
        }
        foreach (var change in changes)
        {
            await DeliverAsync(change, stopping);
        }
    }

    private async Task DeliverAsync(ResourceEvent<T> change, CancellationToken stopping)
    {
        IReadOnlyList<Func<ResourceEvent<T>, CancellationToken, Task>> subscribers;
        lock (_gate)
        {
            subscribers = _subscribers;
        }
        foreach (var subscriber in subscribers)
        {
            try
            {
                await subscriber(change, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                LogSubscriberFailed(_logger, _source.Description, change.Type.ToString(), Key(change.Object), e.Message, e);
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var ceiling = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30)));
        // Jitter in [50%, 100%] of the ceiling, so informers of many agents do not retry in step.
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private static string Key(T item) => $"{item.Metadata?.NamespaceProperty}/{item.Metadata?.Name}";

    private void Unsubscribe(Func<ResourceEvent<T>, CancellationToken, Task> handler)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => s != handler)];
        }
    }

    private sealed class Subscription(ResourceInformer<T> informer, Func<ResourceEvent<T>, CancellationToken, Task> handler) : IDisposable
    {
        public void Dispose() => informer.Unsubscribe(handler);
    }

    private sealed class ResourceVersionGoneException : Exception;

    [LoggerMessage(1, LogLevel.Debug, "Listing {Source}")]
    private static partial void LogListing(ILogger logger, string source);

    [LoggerMessage(2, LogLevel.Information, "Relisting {Source}: resourceVersion {ResourceVersion} is gone (410)")]
    private static partial void LogRelisting(ILogger logger, string source, string resourceVersion);

    [LoggerMessage(3, LogLevel.Warning, "Listing or watching {Source} failed ({Failures} in a row), retrying in {DelayMs} ms: {Reason}; check the API server and that the agent's service account may list and watch it")]
    private static partial void LogFailed(ILogger logger, string source, int failures, double delayMs, string reason, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "A subscriber to {Source} failed on {EventType} {Name}: {Reason}")]
    private static partial void LogSubscriberFailed(ILogger logger, string source, string eventType, string name, string reason, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "Stopped watching {Source}")]
    private static partial void LogStopped(ILogger logger, string source);
}
