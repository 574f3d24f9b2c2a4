using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Conductor.Custody;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Grains.Federation.Storage;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Signing;
using Conductor.Silo.Custody;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Federation.Protocol;
using Conductor.Silo.Tenant.Federation;
using Conductor.Silo.Tests.Custody;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.Leadership;
using Conductor.TestSupport;
using Grpc.Core;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Conductor.Silo.Tests.Federation.Streams;

namespace Conductor.Silo.Tests.Tenant.Federation;

/// <summary>
/// The tenant's end of one federation stream, with management played by the test over in-memory streams and the real
/// custody inbox installing pushed PermissionSnapshots on the real tenant apiserver.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class FederationSessionTests(TenantReceiptNamespace tenant) : IClassFixture<TenantReceiptNamespace>, IAsyncDisposable
{
    private const string Cluster = "ccs-push";
    private const string Older = "2026-11-01T00:00:00Z";
    private const string Newer = "2026-11-02T00:00:00.000+00:00";
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private static readonly Ed25519PrivateKey KeyA = Ed25519PrivateKey.Generate();
    private static readonly Ed25519PrivateKey KeyB = Ed25519PrivateKey.Generate();

    private readonly TemporaryDirectory _dir = new();
    private readonly ManagementEnd _management = new();
    private readonly CancellationTokenSource _stop = new();
    private AuditWal? _wal;
    private Task<bool>? _run;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PermissionSnapshotPush_FirstPushSlow_InstalledInArrivalOrderLatestSignatureKept()
    {
        var name = NewName();
        var inbox = new SlowFirstInbox(Inbox());
        await StartAsync(inbox);
        var first = Offer(name, Older, KeyA); // then management re-signs the same version with key B
        var second = Offer(name, Older, KeyB);

        await _management.SendAsync(FederationMapping.SnapshotPush(first));
        await inbox.FirstEntered.WaitAsync(Cap, Ct);
        await _management.SendAsync(FederationMapping.SnapshotPush(second));
        // The reader stays free while the first push is held: a heartbeat after the second push is answered.
        await _management.SendAsync(new Envelope { Type = MessageType.HeartBeat, Sequence = 77, HeartBeat = new HeartBeat() });
        await _management.ReadAsync(e => e.HeartBeat is { IsAck: true, AckedSequence: 77 });
        inbox.ReleaseFirst();
        var acks = new[] { await _management.ReadAsync(e => e.PermissionSnapshotAck is not null), await _management.ReadAsync(e => e.PermissionSnapshotAck is not null) };

        Assert.Equal([SignatureDigest.Of(first.Signature), SignatureDigest.Of(second.Signature)],
            acks.Select(a => a.PermissionSnapshotAck.AcknowledgedSignatureDigest));
        Assert.All(acks, a => Assert.True(a.PermissionSnapshotAck.Verified, a.PermissionSnapshotAck.Reason));
        Assert.Equal(second.Signature, await InstalledSignatureAsync(name));
    }

    [Fact]
    public async Task PermissionSnapshotPush_OlderVersionAfterNewer_NewerStaysInstalledAndAcknowledged()
    {
        var name = NewName();
        await StartAsync(Inbox());
        var newer = Offer(name, Newer, KeyA);
        var older = Offer(name, Older, KeyB);

        await _management.SendAsync(FederationMapping.SnapshotPush(newer));
        var newerAck = await _management.ReadAsync(e => e.PermissionSnapshotAck is not null);
        await _management.SendAsync(FederationMapping.SnapshotPush(older));
        var olderAck = await _management.ReadAsync(e => e.PermissionSnapshotAck is not null);

        Assert.Equal(Newer, newerAck.PermissionSnapshotAck.AcknowledgedVersion);
        Assert.True(olderAck.PermissionSnapshotAck.Verified, olderAck.PermissionSnapshotAck.Reason);
        Assert.Equal(Newer, olderAck.PermissionSnapshotAck.AcknowledgedVersion);
        Assert.Equal(SignatureDigest.Of(newer.Signature), olderAck.PermissionSnapshotAck.AcknowledgedSignatureDigest);
        Assert.Contains($"older than the installed version {Newer}", olderAck.PermissionSnapshotAck.Reason, StringComparison.Ordinal);
        Assert.Equal(newer.Signature, await InstalledSignatureAsync(name));
        var receipt = await tenant.Client.CustomObjects.GetNamespacedCustomObjectAsync<PermissionSnapshotReceipt>(
            GuardianApi.Group, GuardianApi.Version, tenant.Name, PermissionSnapshotReceipt.Plural, name, Ct);
        Assert.Equal(Newer, receipt.Status!.AcknowledgedVersion);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await Task.WhenAny(_run).WaitAsync(Cap, CancellationToken.None);
        }
        if (_wal is not null)
        {
            await _wal.DisposeAsync();
        }
        _stop.Dispose();
        _dir.Dispose();
    }

    private async Task StartAsync(IPermissionSnapshotInbox inbox)
    {
        _wal = AuditWal.Open(new AuditWalOptions { Path = _dir.File("wal") }, NullLogger<AuditWal>.Instance);
        var options = new FederationClientOptions { AgentNamespace = tenant.Name, HeartBeatInterval = TimeSpan.FromHours(1) };
        var revoked = new RevokedArtifacts(tenant.Client, Options.Create(options), NullLogger<RevokedArtifacts>.Instance);
        var session = new FederationSession(_management.Call(), Cluster, _wal, revoked, new FederationChannelState(), options, TimeProvider.System,
            NullLogger.Instance, inbox);
        _run = session.RunAsync(_stop.Token);
        await _management.ReadAsync(e => e.HeartBeat is { IsAck: false }); // the tenant's opening heartbeat
    }

    private OnboardingSnapshotInbox Inbox()
    {
        var keys = _dir.File("keys");
        Directory.CreateDirectory(keys);
        foreach (var key in new[] { KeyA, KeyB })
        {
            File.WriteAllText(Path.Combine(keys, key.KeyId.Replace(':', '-') + ".pem"), key.PublicKey.ExportPem());
        }
        var options = Options.Create(new CustodyOptions { ClusterRef = Cluster, ReceiptNamespace = tenant.Name, PublicKeysDirectory = keys });
        var conditions = new RunnerConfigConditionWriter(tenant.Client, TimeProvider.System, NullLogger<RunnerConfigConditionWriter>.Instance);
        return new OnboardingSnapshotInbox(options, new VerifiedSnapshotWriter(tenant.Client, tenant.Name, Cluster, TimeProvider.System),
            new SecurityStateReporter(conditions, tenant.Name, Cluster), new RevocationRegistry(), new AlwaysLeader(),
            NullLogger<OnboardingSnapshotInbox>.Instance);
    }

    private static PermissionSnapshotOffer Offer(string name, string version, Ed25519PrivateKey key)
    {
        var spec = new JsonObject
        {
            ["targetCluster"] = Cluster,
            ["version"] = version,
            ["freshnessWindowSeconds"] = 300,
            ["principalPermissions"] = new JsonArray(new JsonObject
            {
                ["principalRef"] = "alice",
                ["allowedOperations"] = new JsonArray(new JsonObject { ["apiGroup"] = "apps", ["resource"] = "deployments", ["verbs"] = new JsonArray("get") }),
            }),
        };
        return new PermissionSnapshotOffer("seam-tenant-" + Cluster, name, spec.ToJsonString(), SignatureAnnotations.Format(new SpecSigner(key).Sign(spec)), version);
    }

    private async Task<string?> InstalledSignatureAsync(string name)
    {
        var copy = await tenant.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            GuardianApi.Group, GuardianApi.Version, tenant.Name, PermissionSnapshot.Plural, name, Ct);
        return copy.GetProperty("metadata").GetProperty("annotations").GetProperty(SignatureAnnotations.Signature).GetString();
    }

    private static string NewName() => $"s{Guid.NewGuid():N}"[..12];

    /// <summary>
    /// Verification that is slow for the first push only: it is held until the test releases it, and then finishes
    /// after any push that started meanwhile, so a push answered out of turn is installed before the first.
    /// </summary>
    private sealed class SlowFirstInbox(IPermissionSnapshotInbox inner) : IPermissionSnapshotInbox
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<Task> _overtaking = [];
        private int _calls;

        public Task FirstEntered => _entered.Task;

        public void ReleaseFirst() => _release.TrySetResult();

        public async Task<PermissionSnapshotAcknowledgement> ReceiveAsync(PermissionSnapshotOffer offer, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) > 1)
            {
                var answer = inner.ReceiveAsync(offer, cancellationToken);
                lock (_overtaking)
                {
                    _overtaking.Add(answer);
                }
                return await answer;
            }
            _entered.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
            Task[] started;
            lock (_overtaking)
            {
                started = [.. _overtaking];
            }
            await Task.WhenAll(started);
            return await inner.ReceiveAsync(offer, cancellationToken);
        }
    }

    /// <summary>Management's side of the stream: what it sends is read by the session, what the session writes is read here.</summary>
    private sealed class ManagementEnd
    {
        private readonly Channel<Envelope> _toTenant = Channel.CreateUnbounded<Envelope>();
        private readonly Channel<Envelope> _fromTenant = Channel.CreateUnbounded<Envelope>();

        public AsyncDuplexStreamingCall<OutboundEnvelope, Envelope> Call() => new(new Writer(_fromTenant.Writer), new ChannelStreamReader<Envelope>(_toTenant.Reader, new Envelope()),
            Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

        public ValueTask SendAsync(Envelope envelope) => _toTenant.Writer.WriteAsync(envelope, Ct);

        /// <summary>The next envelope from the tenant that matches, skipping others (the tenant's own heartbeats, say).</summary>
        public async Task<Envelope> ReadAsync(Func<Envelope, bool> match)
        {
            using var cap = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            cap.CancelAfter(Cap);
            while (true)
            {
                var envelope = await _fromTenant.Reader.ReadAsync(cap.Token);
                if (match(envelope))
                {
                    return envelope;
                }
            }
        }

        /// <summary>Takes ordinary envelopes only: these tests record no audit, so no WAL-encoded batch is ever sent.</summary>
        private sealed class Writer(ChannelWriter<Envelope> writer) : IClientStreamWriter<OutboundEnvelope>
        {
            public WriteOptions? WriteOptions { get; set; }

            public Task WriteAsync(OutboundEnvelope message) => WriteAsync(message, CancellationToken.None);

            public Task WriteAsync(OutboundEnvelope message, CancellationToken cancellationToken) =>
                message.AuditRecords is null
                    ? writer.WriteAsync(message.Header, cancellationToken).AsTask()
                    : throw new InvalidOperationException("an audit batch was sent, but these tests record no audit events");

            public Task CompleteAsync()
            {
                writer.TryComplete();
                return Task.CompletedTask;
            }
        }
    }
}
