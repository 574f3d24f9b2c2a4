using System.Runtime.CompilerServices;
using Conductor.Federation;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Tenant.Federation;
using Conductor.Silo.Tests.Custody;
using Conductor.Silo.Tests.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tests.Federation;

/// <summary>
/// Every tenant replica follows the revocation marks the Lease leader writes (real tenant kube-apiserver): live, when
/// started later, and across a watch that drops or expires.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class RevokedArtifactsWatchTests(TenantReceiptNamespace tenant) : IClassFixture<TenantReceiptNamespace>, IAsyncDisposable
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Revoked = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly ResourceInformerOptions QuickRetry = new() { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) };

    // The ConfigMap's name is fixed, so each test (its own instance of this class) works in a namespace of its own.
    private readonly string _namespace = $"conductor-test-{Guid.NewGuid():N}";
    private readonly List<RevokedArtifactsWatch> _watches = [];
    private bool _created;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Apply_OnLeader_AppliedOnFollowerWithoutRestart()
    {
        var leader = await StoreAsync();
        var (follower, followerApplied, watch) = await FollowerAsync();
        await watch.ReadyAsync(Ct);
        var first = Notice("rev-1", RevocationTarget.PackInstalled, "pack-a");
        var second = Notice("rev-2", RevocationTarget.PermissionSnapshot, "snapshot-b");

        await leader.ApplyAsync(first, Ct);
        await leader.ApplyAsync(second, Ct);
        await followerApplied.WaitForAsync(second.RevocationId);

        Assert.True(follower.IsRevoked(RevocationTarget.PackInstalled, "seam-tenant-a", "pack-a"));
        Assert.True(follower.IsRevoked(RevocationTarget.PermissionSnapshot, "seam-tenant-a", "snapshot-b"));
        Assert.False(follower.IsRevoked(RevocationTarget.PackInstalled, "seam-tenant-a", "pack-other"));
        Assert.Equal(["rev-1", "rev-2"], followerApplied.Ids);
    }

    [Fact]
    public async Task Apply_LeaderWatchingItsOwnWrites_AppliedRaisedOncePerRevocation()
    {
        var (leader, leaderApplied, leaderWatch) = await FollowerAsync();
        await leaderWatch.ReadyAsync(Ct);
        var formerLeader = await StoreAsync();

        await leader.ApplyAsync(Notice("rev-1", RevocationTarget.PackInstalled, "pack-a"), Ct);
        await leader.ApplyAsync(Notice("rev-2", RevocationTarget.PackInstalled, "pack-b"), Ct);
        // A mark the leader did not write itself: once its watch delivers it, the watch has delivered the leader's own too.
        await formerLeader.ApplyAsync(Notice("rev-3", RevocationTarget.PackInstalled, "pack-c"), Ct);
        await leaderApplied.WaitForAsync("rev-3");

        Assert.Equal(["rev-1", "rev-2", "rev-3"], leaderApplied.Ids);
        Assert.Equal(["rev-1", "rev-2", "rev-3"], leader.All.Select(n => n.RevocationId));
    }

    [Fact]
    public async Task Watch_FollowerStartedLater_SeesExistingMarksBeforeReady()
    {
        var leader = await StoreAsync();
        await leader.ApplyAsync(Notice("rev-1", RevocationTarget.PermissionSnapshot, "snapshot-a"), Ct);
        var readiness = new WatchReadiness();

        var (follower, followerApplied, watch) = await FollowerAsync(readiness: readiness);
        await watch.ReadyAsync(Ct);

        Assert.True(follower.IsRevoked(RevocationTarget.PermissionSnapshot, "seam-tenant-a", "snapshot-a"));
        Assert.Equal(["rev-1"], followerApplied.Ids);
        var registered = Assert.Single(readiness.Snapshot());
        Assert.Contains(RevokedArtifacts.ConfigMapName, registered.Name, StringComparison.Ordinal);
        Assert.True(registered.Synced);
    }

    /// <param name="gone">The first watch ends with 410 Gone (else its connection drops).</param>
    /// <param name="lists">A dropped watch is resumed from the last resourceVersion; an expired one is relisted.</param>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public async Task Watch_InterruptedWhileLeaderWrites_ResumesAndMissesNothing(bool gone, int lists)
    {
        var leader = await StoreAsync();
        var source = new InterruptedSource(Source(), gone);
        var (follower, followerApplied, watch) = await FollowerAsync(source);
        await watch.ReadyAsync(Ct);
        await source.FirstWatchOpened.Task.WaitAsync(Cap, Ct);

        await leader.ApplyAsync(Notice("rev-1", RevocationTarget.PermissionSnapshot, "snapshot-a"), Ct);
        await leader.ApplyAsync(Notice("rev-2", RevocationTarget.PackInstalled, "pack-b"), Ct);
        source.Interrupt.TrySetResult();
        await followerApplied.WaitForAsync("rev-2");

        Assert.True(follower.IsRevoked(RevocationTarget.PermissionSnapshot, "seam-tenant-a", "snapshot-a"));
        Assert.True(follower.IsRevoked(RevocationTarget.PackInstalled, "seam-tenant-a", "pack-b"));
        Assert.Equal(["rev-1", "rev-2"], followerApplied.Ids);
        Assert.Equal(lists, watch.ListCount);
        Assert.True(watch.WatchCount >= 2, $"expected the watch to be opened again, saw {watch.WatchCount}");
    }

    [Fact]
    public async Task Watch_ConfigMapDeleted_MarksStayInForceAndLeaderWritesAgain()
    {
        var (leader, leaderApplied, watch) = await FollowerAsync();
        await watch.ReadyAsync(Ct);
        await leader.ApplyAsync(Notice("rev-1", RevocationTarget.PackInstalled, "pack-a"), Ct);

        await tenant.Client.CoreV1.DeleteNamespacedConfigMapAsync(RevokedArtifacts.ConfigMapName, _namespace, cancellationToken: Ct);
        var formerLeader = await StoreAsync();
        await formerLeader.ApplyAsync(Notice("rev-2", RevocationTarget.PackInstalled, "pack-b"), Ct);
        await leaderApplied.WaitForAsync("rev-2");
        await leader.ApplyAsync(Notice("rev-3", RevocationTarget.PackInstalled, "pack-c"), Ct);
        var stored = await tenant.Client.CoreV1.ReadNamespacedConfigMapAsync(RevokedArtifacts.ConfigMapName, _namespace, cancellationToken: Ct);

        Assert.True(leader.IsRevoked(RevocationTarget.PackInstalled, "seam-tenant-a", "pack-a"));
        Assert.Contains("rev-1", stored.Data[RevokedArtifacts.RevocationsKey], StringComparison.Ordinal);
        Assert.Contains("rev-3", stored.Data[RevokedArtifacts.RevocationsKey], StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var watch in _watches)
        {
            await watch.DisposeAsync();
        }
        if (_created)
        {
            await tenant.Client.CoreV1.DeleteNamespaceAsync(_namespace);
        }
    }

    /// <summary>A store as the leader uses it (no watch).</summary>
    private async Task<RevokedArtifacts> StoreAsync()
    {
        if (!_created)
        {
            await tenant.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
            {
                Metadata = new V1ObjectMeta { Name = _namespace, Labels = new Dictionary<string, string> { [Conductor.TestSupport.Kubernetes.TestNamespace.TestLabel] = "true" } },
            }, cancellationToken: Ct);
            _created = true;
        }
        return new RevokedArtifacts(tenant.Client, Options.Create(new FederationClientOptions { AgentNamespace = _namespace }), NullLogger<RevokedArtifacts>.Instance);
    }

    /// <summary>A store following the ConfigMap with a started watch, and what it raised.</summary>
    private async Task<(RevokedArtifacts Store, AppliedRecorder Applied, RevokedArtifactsWatch Watch)> FollowerAsync(
        IResourceSource<V1ConfigMap>? source = null, WatchReadiness? readiness = null)
    {
        var store = await StoreAsync();
        var applied = new AppliedRecorder(store);
        var watch = new RevokedArtifactsWatch(store, source ?? Source(), TimeProvider.System, NullLogger<RevokedArtifactsWatch>.Instance, readiness, QuickRetry);
        _watches.Add(watch);
        if (readiness is not null)
        {
            // Registered at construction: readiness names it until the first list is in.
            Assert.Contains(readiness.Snapshot(), w => !w.Synced && w.Name.Contains(RevokedArtifacts.ConfigMapName, StringComparison.Ordinal));
        }
        await watch.StartAsync(Ct);
        return (store, applied, watch);
    }

    private ConfigMapSource Source() => new(tenant.Client, _namespace, RevokedArtifacts.ConfigMapName);

    private static RevocationNotice Notice(string id, RevocationTarget target, string name) =>
        new("cluster-a", target, "seam-tenant-a", name, "compromised", Revoked, id);

    /// <summary>Every revocation id a store raised <see cref="RevokedArtifacts.Applied"/> for, in order.</summary>
    private sealed class AppliedRecorder
    {
        private readonly Lock _gate = new();
        private readonly List<string> _ids = [];
        private readonly SemaphoreSlim _changed = new(0);

        public AppliedRecorder(RevokedArtifacts store) => store.Applied += notice =>
        {
            lock (_gate)
            {
                _ids.Add(notice.RevocationId);
            }
            _changed.Release();
        };

        public IReadOnlyList<string> Ids
        {
            get
            {
                lock (_gate)
                {
                    return [.. _ids];
                }
            }
        }

        public async Task WaitForAsync(string revocationId)
        {
            using var cap = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            cap.CancelAfter(Cap);
            while (!Ids.Contains(revocationId))
            {
                try
                {
                    await _changed.WaitAsync(cap.Token);
                }
                catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
                {
                    throw new TimeoutException($"Applied was not raised for {revocationId} within {Cap}; raised: [{string.Join(", ", Ids)}]");
                }
            }
        }
    }

    /// <summary>
    /// The real source, except that the first watch stalls until <see cref="Interrupt"/> and then fails: the connection
    /// drops (an IOException) or the server answers 410 Gone. Later watches are the real ones.
    /// </summary>
    private sealed class InterruptedSource(IResourceSource<V1ConfigMap> inner, bool gone) : IResourceSource<V1ConfigMap>
    {
        private int _watches;

        public TaskCompletionSource FirstWatchOpened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Interrupt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Description => inner.Description;

        public Task<ResourceSnapshot<V1ConfigMap>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public async IAsyncEnumerable<(WatchEventType Type, V1ConfigMap Object)> WatchAsync(
            string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _watches) == 1)
            {
                FirstWatchOpened.TrySetResult();
                await Interrupt.Task.WaitAsync(cancellationToken);
                if (!gone)
                {
                    throw new IOException("The watch connection was reset by the test.");
                }
                onError(new KubernetesException(new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version" }));
                yield break;
            }

            await foreach (var change in inner.WatchAsync(resourceVersion, timeoutSeconds, onError, cancellationToken))
            {
                yield return change;
            }
        }
    }
}
