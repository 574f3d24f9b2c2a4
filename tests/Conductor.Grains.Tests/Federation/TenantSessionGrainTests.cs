using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Conductor.Federation;
using Conductor.Resources;
using Conductor.Resources.Seam;
using Conductor.Runner;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Conductor.TestSupport.Observability;

namespace Conductor.Grains.Tests.Federation;

[Collection(ClusterCollection.Name)]
public sealed class TenantSessionGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tick_ThreeHeartBeatsUnacked_DegradedRecordedThenClearedOnAck()
    {
        var clusterId = $"session-{Guid.NewGuid():N}"[..20];
        await CreateRunnerConfigAsync(clusterId);
        using var connection = await ConnectAsync(clusterId);
        var (observer, session, stream) = connection;

        for (var tick = 1; tick <= 3; tick++)
        {
            var sent = observer.HeartBeats;
            await AdvanceUntilAsync(() => Task.FromResult(observer.HeartBeats > sent), $"heartbeat {tick}");
        }

        var beforeThreshold = await session.GetStatusAsync();
        await AdvanceUntilAsync(async () => (await session.GetStatusAsync()).MissedAcks >= 3, "the third missed ack");
        var degraded = await WaitForConditionAsync(clusterId, "True");
        var status = await session.GetStatusAsync();
        using var meter = new ConductorMeterReader(fixture.SiloServices.GetRequiredService<IMeterFactory>());
        var degradedTenants = meter.Read("conductor.federation.degraded_tenants");
        await session.HeartBeatAckedAsync(stream);
        var restored = await WaitForConditionAsync(clusterId, "False");
        var degradedAfterAck = meter.Read("conductor.federation.degraded_tenants");

        Assert.False(beforeThreshold.Degraded);
        Assert.Equal(2, beforeThreshold.MissedAcks);
        Assert.True(status.Degraded);
        Assert.Equal(3, status.MissedAcks);
        Assert.Equal(ConditionReasons.HeartbeatsMissed, degraded.Reason);
        Assert.Equal("HeartbeatsAcknowledged", restored.Reason);
        Assert.False((await session.GetStatusAsync()).Degraded);
        Assert.True(degradedTenants >= 1, $"degraded_tenants read {degradedTenants} while this session was degraded");
        Assert.Equal(degradedTenants - 1, degradedAfterAck);
    }

    [Fact]
    public async Task Tick_AckedEveryInterval_NeverDegradedAndNoStatusWrite()
    {
        var clusterId = $"steady-{Guid.NewGuid():N}"[..20];
        await CreateRunnerConfigAsync(clusterId);
        using var connection = await ConnectAsync(clusterId);
        var (observer, session, stream) = connection;

        for (var tick = 1; tick <= 5; tick++)
        {
            var sent = observer.HeartBeats;
            await AdvanceUntilAsync(() => Task.FromResult(observer.HeartBeats > sent), $"heartbeat {tick}");
            await session.HeartBeatAckedAsync(stream);
        }

        var status = await session.GetStatusAsync();
        var runnerConfig = await ReadRunnerConfigAsync(clusterId);
        Assert.False(status.Degraded);
        Assert.Equal(0, status.MissedAcks);
        Assert.Null(runnerConfig.Status); // no blind writes: nothing changed, nothing written
    }

    [Fact]
    public async Task Connect_RevocationsRecordedAndEventsStored_ReconcilesRevocationsAndLeavesTheAuditMarkToEachReplicasStream()
    {
        var clusterId = $"recon-{Guid.NewGuid():N}"[..20];
        var sink = fixture.Cluster.Client.GetGrain<IAuditSinkGrain>(clusterId);
        await sink.StoreAsync(new AuditBatch([Record(1), Record(2), Record(3)]));
        var notice = new RevocationNotice(clusterId, RevocationTarget.PackInstalled, "seam-tenant-x", "nginx", "revoked", DateTimeOffset.UnixEpoch, "id-1");
        await fixture.Cluster.Client.GetGrain<IRevocationGrain>(clusterId).RevokeAsync(notice);

        using var connection = await ConnectAsync(clusterId);
        var observer = connection.Observer;

        // The audit mark is per replica (its own sink), so the gateway greets each replica's stream with it.
        Assert.Empty(observer.Acks);
        Assert.Equal([notice], observer.Revocations);
    }

    [Fact]
    public async Task PushPermissionSnapshot_SignedWhileConnected_OfferSentOnTheOpenStream()
    {
        var clusterId = $"push-{Guid.NewGuid():N}"[..20];
        var mine = await CreateSnapshotAsync(clusterId, signature: "key-1:c2lnLTE=");
        var unsigned = await CreateSnapshotAsync(clusterId, signature: null);
        var others = await CreateSnapshotAsync("another-cluster", signature: "key-1:c2lnLTE=");
        using var connection = await ConnectAsync(clusterId);
        var (observer, session, stream) = connection;
        var atConnect = observer.SnapshotQueue.Count;

        await session.PushPermissionSnapshotAsync(mine);
        await session.PushPermissionSnapshotAsync(unsigned);
        await session.PushPermissionSnapshotAsync(others);
        await session.PushPermissionSnapshotAsync("deleted-meanwhile");

        var offers = observer.SnapshotQueue.ToArray();
        Assert.Equal(1, atConnect); // the onboarding offer of the signed one
        Assert.Equal(2, offers.Length);
        Assert.All(offers, o => Assert.Equal(mine, o.Name));
        Assert.Equal("key-1:c2lnLTE=", offers[1].Signature);
        Assert.Equal(stream, (await session.GetStatusAsync()).StreamId);
    }

    [Fact]
    public async Task PushPermissionSnapshot_NeverConnected_NothingSentAndNoStream()
    {
        var clusterId = $"idle-{Guid.NewGuid():N}"[..20];
        var name = await CreateSnapshotAsync(clusterId, signature: "key-1:c2lnLTE=");
        var session = fixture.Cluster.Client.GetGrain<ITenantSessionGrain>(clusterId);

        await session.PushPermissionSnapshotAsync(name);
        var status = await session.GetStatusAsync();

        Assert.False(status.Connected);
        Assert.Null(status.StreamId);
    }

    private async Task<string> CreateSnapshotAsync(string clusterId, string? signature)
    {
        var name = $"snap-{Guid.NewGuid():N}"[..16];
        var annotations = signature is null ? null : new Dictionary<string, string> { [Conductor.Signing.SignatureAnnotations.Signature] = signature };
        await fixture.Kube.CustomObjects.CreateNamespacedCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = GuardianApi.ApiVersion,
            ["kind"] = Conductor.Resources.Guardian.PermissionSnapshot.KindName,
            ["metadata"] = new V1ObjectMeta { Name = name, NamespaceProperty = fixture.Namespace, Annotations = annotations },
            ["spec"] = new Dictionary<string, object> { ["targetCluster"] = clusterId, ["version"] = "2026-11-27T10:00:00Z" },
        }, GuardianApi.Group, GuardianApi.Version, fixture.Namespace, Conductor.Resources.Guardian.PermissionSnapshot.Plural, cancellationToken: Ct);
        return name;
    }

    internal static AuditRecord Record(ulong sequence) =>
        new(sequence, null, "alice", "delete", "pods", "default", $"pod-{sequence}", "allowed", "");

    /// <summary>Connects a recording observer as a new stream of <paramref name="clusterId"/>'s session grain.</summary>
    private async Task<Connection> ConnectAsync(string clusterId)
    {
        var observer = new RecordingObserver();
        var reference = fixture.Cluster.Client.CreateObjectReference<ITenantStreamObserver>(observer);
        var session = fixture.Cluster.Client.GetGrain<ITenantSessionGrain>(clusterId);
        var stream = Guid.NewGuid();
        await session.ConnectAsync(stream, reference);
        return new Connection(fixture.Cluster.Client, observer, reference, session, stream);
    }

    private async Task<V1Condition> WaitForConditionAsync(string clusterId, string status)
    {
        using var cap = new CancellationTokenSource(Cap);
        while (true)
        {
            var runnerConfig = await ReadRunnerConfigAsync(clusterId);
            if (runnerConfig.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.FederationChannelDegraded) is { } condition
                && condition.Status == status)
            {
                return condition;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cap.Token);
        }
    }

    /// <summary>
    /// Advances fake time by one heartbeat interval until <paramref name="condition"/> holds. The grain re-arms its
    /// timer only after a tick's turn completes, so an advance that lands before the re-arm fires nothing; it is
    /// repeated once no tick has followed it for a while (a tick that did fire shows up well within that).
    /// </summary>
    private async Task AdvanceUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var cap = new CancellationTokenSource(Cap);
        fixture.Time.Advance(ClusterFixture.HeartBeat);
        var sinceAdvance = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (cap.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }
            if (sinceAdvance.Elapsed > RearmGrace)
            {
                fixture.Time.Advance(ClusterFixture.HeartBeat);
                sinceAdvance.Restart();
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None);
        }
    }

    private static readonly TimeSpan RearmGrace = TimeSpan.FromSeconds(3);

    private async Task CreateRunnerConfigAsync(string clusterId) =>
        await fixture.Kube.CustomObjects.CreateNamespacedCustomObjectAsync(new RunnerConfig
        {
            Metadata = new V1ObjectMeta { Name = clusterId, NamespaceProperty = fixture.Namespace },
            Spec = new RunnerConfigSpec { ClusterRef = clusterId, AgentImage = "registry.example/conductor-execute:v1" },
        }, SeamApi.Group, SeamApi.Version, fixture.Namespace, RunnerConfig.Plural, cancellationToken: Ct);

    private async Task<RunnerConfig> ReadRunnerConfigAsync(string clusterId)
    {
        var raw = await fixture.Kube.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            SeamApi.Group, SeamApi.Version, fixture.Namespace, RunnerConfig.Plural, clusterId, Ct);
        return KubernetesJson.Deserialize<RunnerConfig>(raw.GetRawText());
    }

    /// <summary>One connected stream; disposing releases the observer reference.</summary>
    private sealed class Connection(
        IClusterClient client, RecordingObserver observer, ITenantStreamObserver reference, ITenantSessionGrain session, Guid stream) : IDisposable
    {
        public RecordingObserver Observer => observer;

        public ITenantSessionGrain Session => session;

        public Guid Stream => stream;

        public void Deconstruct(out RecordingObserver observer, out ITenantSessionGrain session, out Guid stream) =>
            (observer, session, stream) = (Observer, Session, Stream);

        public void Dispose() => client.DeleteObjectReference<ITenantStreamObserver>(reference);
    }

    private sealed class RecordingObserver : ITenantStreamObserver
    {
        private int _heartBeats;

        public int HeartBeats => Volatile.Read(ref _heartBeats);

        public ConcurrentQueue<ulong> AckQueue { get; } = new();

        public ConcurrentQueue<RevocationNotice> RevocationQueue { get; } = new();

        public IReadOnlyList<ulong> Acks => [.. AckQueue];

        public IReadOnlyList<RevocationNotice> Revocations => [.. RevocationQueue];

        public Task SendHeartBeatAsync()
        {
            Interlocked.Increment(ref _heartBeats);
            return Task.CompletedTask;
        }

        public Task SendAuditAckAsync(ulong highWaterMark)
        {
            AckQueue.Enqueue(highWaterMark);
            return Task.CompletedTask;
        }

        public Task SendRevocationAsync(RevocationNotice notice)
        {
            RevocationQueue.Enqueue(notice);
            return Task.CompletedTask;
        }

        public ConcurrentQueue<PermissionSnapshotOffer> SnapshotQueue { get; } = new();

        public Task SendPermissionSnapshotAsync(PermissionSnapshotOffer offer)
        {
            SnapshotQueue.Enqueue(offer);
            return Task.CompletedTask;
        }
    }
}
