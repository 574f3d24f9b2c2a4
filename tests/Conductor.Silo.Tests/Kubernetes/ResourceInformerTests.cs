using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Conductor.Resources.Seam;
using Conductor.Silo.Kubernetes;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conductor.Silo.Tests.Kubernetes;

/// <summary>The informer against the real kube-apiserver: events, watch restarts, a real 410 Gone, and a clean stop.</summary>
[Collection(KubeCollection.Name)]
public sealed class ResourceInformerTests(TestNamespace ns) : IClassFixture<TestNamespace>
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private static readonly KubeApi Api = KubeApi.Of<RunnerConfig>();

    [Fact]
    public async Task Start_RunnerConfigsChange_DeliversAddedModifiedDeleted()
    {
        var token = TestContext.Current.CancellationToken;
        var scope = NewScope();
        await CreateAsync("before", scope);
        var events = new EventLog<RunnerConfig>();
        await using var informer = Informer(new CustomResourceSource<RunnerConfig>(ns.Client, ns.Name, Selector(scope)));
        using var subscription = informer.Subscribe(events.Handle);

        await informer.StartAsync(token);
        await informer.ReadyAsync(token).WaitAsync(Cap, token);
        await events.WaitAsync(WatchEventType.Added, "before");
        var after = await CreateAsync("after", scope);
        await events.WaitAsync(WatchEventType.Added, "after");
        after.Spec = after.Spec with { AgentImage = "registry.local/conductor-exec:v1.9.4" };
        await Api.GenericClient(ns.Client).ReplaceNamespacedAsync(after, ns.Name, after.Metadata.Name, token);
        await events.WaitAsync(WatchEventType.Modified, "after");
        await Api.GenericClient(ns.Client).DeleteNamespacedAsync<V1Status>(ns.Name, "before", token);
        await events.WaitAsync(WatchEventType.Deleted, "before");

        Assert.Equal(["after"], informer.Snapshot().Select(r => r.Metadata.Name));
        Assert.Equal(1, informer.ListCount);
    }

    [Fact]
    public async Task Watch_ServerEndsWatches_ResumesFromLastVersionWithoutRelist()
    {
        var token = TestContext.Current.CancellationToken;
        var scope = NewScope();
        var events = new EventLog<RunnerConfig>();
        await using var informer = Informer(new CustomResourceSource<RunnerConfig>(ns.Client, ns.Name, Selector(scope)),
            new ResourceInformerOptions { WatchTimeout = TimeSpan.FromSeconds(1) });
        using var subscription = informer.Subscribe(events.Handle);
        await informer.StartAsync(token);
        await informer.ReadyAsync(token).WaitAsync(Cap, token);

        await WaitUntilAsync(() => informer.WatchCount >= 3, "three watches (two ended by the server)");
        await CreateAsync("late", scope);
        await events.WaitAsync(WatchEventType.Added, "late");

        Assert.Equal(1, informer.ListCount);
        Assert.Single(events.All, e => e.Object.Metadata.Name == "late");
    }

    [Fact]
    public async Task Watch_ResourceVersionGone_RelistsAndDeliversMissedDeletion()
    {
        var token = TestContext.Current.CancellationToken;
        var scope = NewScope();
        await CreateAsync("missed", scope);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first list claims resourceVersion 1, older than anything the server keeps for this CRD, so the server
        // itself answers the watch with 410 Gone; the first watch waits until the test has deleted an object.
        var source = new StaleFirstList(new CustomResourceSource<RunnerConfig>(ns.Client, ns.Name, Selector(scope)), release.Task);
        var events = new EventLog<RunnerConfig>();
        await using var informer = Informer(source);
        using var subscription = informer.Subscribe(events.Handle);
        await informer.StartAsync(token);
        await informer.ReadyAsync(token).WaitAsync(Cap, token);
        await events.WaitAsync(WatchEventType.Added, "missed");

        await Api.GenericClient(ns.Client).DeleteNamespacedAsync<V1Status>(ns.Name, "missed", token);
        release.SetResult();
        await events.WaitAsync(WatchEventType.Deleted, "missed");
        await CreateAsync("fresh", scope);
        await events.WaitAsync(WatchEventType.Added, "fresh");

        Assert.Equal(2, informer.ListCount);
        Assert.DoesNotContain(informer.Snapshot(), r => r.Metadata.Name == "missed");
    }

    [Fact]
    public async Task Start_JobsCreated_DeliversBuiltInKind()
    {
        var token = TestContext.Current.CancellationToken;
        var scope = NewScope();
        var events = new EventLog<V1Job>();
        await using var informer = Informer(new JobSource(ns.Client, ns.Name, Selector(scope)));
        using var subscription = informer.Subscribe(events.Handle);
        await informer.StartAsync(token);
        await informer.ReadyAsync(token).WaitAsync(Cap, token);

        await ns.Client.BatchV1.CreateNamespacedJobAsync(Job("job-one", scope), ns.Name, cancellationToken: token);
        var added = await events.WaitAsync(WatchEventType.Added, "job-one");
        await ns.Client.BatchV1.DeleteNamespacedJobAsync("job-one", ns.Name, propagationPolicy: "Background", cancellationToken: token);
        await events.WaitAsync(WatchEventType.Deleted, "job-one");

        Assert.Equal("conductor-execute", added.Spec.Template.Spec.Containers[0].Name);
    }

    [Fact]
    public async Task StopAsync_WhileWatching_EndsTheLoop()
    {
        var token = TestContext.Current.CancellationToken;
        var informer = Informer(new CustomResourceSource<RunnerConfig>(ns.Client, ns.Name, Selector(NewScope())));
        await informer.StartAsync(token);
        await informer.ReadyAsync(token).WaitAsync(Cap, token);
        await WaitUntilAsync(() => informer.WatchCount >= 1, "the first watch");

        await informer.StopAsync(token).WaitAsync(Cap, token);
        var watches = informer.WatchCount;
        await informer.DisposeAsync();

        Assert.Equal(watches, informer.WatchCount);
    }

    [Fact]
    public async Task StartAsync_ServerUnreachable_ReturnsAtOnceAndStopsCleanly()
    {
        var token = TestContext.Current.CancellationToken;
        using var unreachable = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "https://127.0.0.1:1" });
        var informer = Informer(new CustomResourceSource<RunnerConfig>(unreachable, ns.Name));

        await informer.StartAsync(token).WaitAsync(Cap, token);
        var ready = informer.ReadyAsync(token);
        await informer.StopAsync(token).WaitAsync(Cap, token);

        Assert.False(ready.IsCompleted);
        Assert.Equal(0, informer.ListCount);
    }

    private static ResourceInformer<T> Informer<T>(IResourceSource<T> source, ResourceInformerOptions? options = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(source, TimeProvider.System, NullLogger.Instance, options);

    private static string NewScope() => Guid.NewGuid().ToString("N")[..12];

    private static string Selector(string scope) => $"test-scope={scope}";

    private async Task<RunnerConfig> CreateAsync(string name, string scope)
    {
        var config = new RunnerConfig
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns.Name, Labels = new Dictionary<string, string> { ["test-scope"] = scope } },
            Spec = new RunnerConfigSpec { ClusterRef = "ccs-dev", AgentImage = "registry.local/conductor-exec:v1.9.3" },
        };
        return await Api.GenericClient(ns.Client).CreateNamespacedAsync(config, ns.Name, TestContext.Current.CancellationToken);
    }

    private static V1Job Job(string name, string scope) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["test-scope"] = scope } },
        Spec = new V1JobSpec
        {
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers = [new V1Container { Name = "conductor-execute", Image = "registry.local/conductor-exec:v1.9.3" }],
                },
            },
        },
    };

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = DateTimeOffset.UtcNow + Cap;
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"timed out waiting for {what}");
            await timer.WaitForNextTickAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Records delivered events and lets a test wait (capped) for one.</summary>
    private sealed class EventLog<T>
        where T : IKubernetesObject<V1ObjectMeta>
    {
        private readonly ConcurrentQueue<ResourceEvent<T>> _events = new();
        private readonly ConcurrentDictionary<(WatchEventType, string), TaskCompletionSource<T>> _waiters = new();

        public IReadOnlyList<ResourceEvent<T>> All => [.. _events];

        public Task Handle(ResourceEvent<T> change, CancellationToken cancellationToken)
        {
            _events.Enqueue(change);
            Waiter(change.Type, change.Object.Metadata.Name).TrySetResult(change.Object);
            return Task.CompletedTask;
        }

        public async Task<T> WaitAsync(WatchEventType type, string name)
        {
            try
            {
                return await Waiter(type, name).Task.WaitAsync(Cap, TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"no {type} {name} within {Cap}; saw [{string.Join(", ", _events.Select(e => $"{e.Type} {e.Object.Metadata.Name}"))}]");
            }
        }

        private TaskCompletionSource<T> Waiter(WatchEventType type, string name) =>
            _waiters.GetOrAdd((type, name), _ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    private sealed class StaleFirstList(IResourceSource<RunnerConfig> inner, Task release) : IResourceSource<RunnerConfig>
    {
        private int _lists;
        private int _watches;

        public string Description => inner.Description;

        public async Task<ResourceSnapshot<RunnerConfig>> ListAsync(CancellationToken cancellationToken)
        {
            var snapshot = await inner.ListAsync(cancellationToken);
            return Interlocked.Increment(ref _lists) == 1 ? snapshot with { ResourceVersion = "1" } : snapshot;
        }

        public async IAsyncEnumerable<(WatchEventType Type, RunnerConfig Object)> WatchAsync(
            string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _watches) == 1)
            {
                await release.WaitAsync(cancellationToken);
            }
            await foreach (var item in inner.WatchAsync(resourceVersion, timeoutSeconds, onError, cancellationToken))
            {
                yield return item;
            }
        }
    }
}
