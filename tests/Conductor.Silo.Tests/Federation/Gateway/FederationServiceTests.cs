using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Conductor.Federation.Protocol;
using Conductor.Grains.Federation;
using Conductor.Silo.Federation.Gateway;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Network;
using Conductor.TestSupport.Logging;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tests.Federation.Gateway;

/// <summary>
/// Real Kestrel on loopback with real mTLS and a real Grpc.Net.Client, in front of a real Orleans silo whose
/// federation grains keep their records on the real kube-apiserver.
/// </summary>
[Collection(GatewayKubeCollection.Name)]
public sealed class FederationServiceTests(TestNamespace kubeNamespace) : IAsyncLifetime, IClassFixture<TestNamespace>
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(15);

    private readonly string _dir = Directory.CreateTempSubdirectory("conductor-gateway-").FullName;
    private readonly FederationPki _pki = FederationPki.Create();
    private readonly RecordingLoggerProvider _logs = new();
    private readonly HashSet<string> _expectedErrors = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _disposables = [];
    private WebApplication? _app;
    private int _port;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var files = _pki.WriteTo(_dir, "ccs-dev");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FederationGatewayOptions.PortVariable] = "0",
            [FederationGatewayOptions.CaCertificatePathVariable] = files.CaCertificatePath,
            [FederationGatewayOptions.ServerCertificatePathVariable] = files.ServerCertificatePath,
            [FederationGatewayOptions.ServerKeyPathVariable] = files.ServerKeyPath,
        });
        builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(kubeNamespace.Client);
        builder.Services.AddFederationGateway();
        builder.Services.AddFederationGrains();
        builder.Services.Configure<FederationGatewayOptions>(o => o.BindAddress = "127.0.0.1");
        builder.Services.Configure<FederationGrainOptions>(o => (o.StoreNamespace, o.RunnerConfigNamespace) = (kubeNamespace.Name, kubeNamespace.Name));
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next()).AddMemoryGrainStorageAsDefault());
        _app = builder.Build();
        _app.MapFederationGateway();
        await _app.StartAsync(Ct);
        _port = new Uri(_app.Urls.Single(u => u.StartsWith("https", StringComparison.Ordinal))).Port;
    }

    [Fact]
    public async Task Connect_ValidTenantHeartBeat_RepliesAckStampedWithCertificateClusterId()
    {
        var client = Client(_pki.IssueClientCertificate("ccs-dev"));
        using var call = client.Connect(cancellationToken: Ct);

        await call.RequestStream.WriteAsync(HeartBeat(sequence: 5, claimedClusterId: "ccs-dev"), Ct);
        var reply = await ReadHeartBeatAsync(call);

        Assert.Equal(MessageType.HeartBeat, reply.Type);
        Assert.True(reply.HeartBeat.IsAck);
        Assert.Equal(5UL, reply.HeartBeat.AckedSequence);
        Assert.Equal("ccs-dev", reply.ClusterId);
        Assert.True(reply.Sequence > 1, "the greeting audit ack comes first");
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Connect_EnvelopeClaimsOtherCluster_ServerUsesSanClusterIdAndLogsIt()
    {
        var client = Client(_pki.IssueClientCertificate("ccs-certified"));
        using var call = client.Connect(cancellationToken: Ct);

        await call.RequestStream.WriteAsync(HeartBeat(sequence: 1, claimedClusterId: "spoofed-cluster-id"), Ct);
        var reply = await ReadHeartBeatAsync(call);

        Assert.Equal("ccs-certified", reply.ClusterId);
        var log = await _logs.WaitForAsync(e => e.EventId.Name == "LogClusterIdOverridden");
        Assert.Contains("claims cluster spoofed-cluster-id", log.Message, StringComparison.Ordinal);
        Assert.Contains("proves ccs-certified", log.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_NoClientCertificate_RefusedAndLoggedWithPeer()
    {
        await AssertRefusedAsync(certificate: null, "no client certificate was presented");
    }

    [Fact]
    public async Task Connect_CertificateFromAnotherCa_RefusedAndLoggedWithPeer()
    {
        using var otherCa = FederationPki.Create("Seam Management CA"); // same name, different key
        await AssertRefusedAsync(otherCa.IssueClientCertificate("ccs-dev"), "does not verify against the management CA");
    }

    [Fact]
    public async Task Connect_ExpiredCertificate_RefusedAndLoggedWithPeer()
    {
        await AssertRefusedAsync(_pki.IssueExpiredClientCertificate("ccs-dev"), "NotTimeValid");
    }

    [Fact]
    public async Task Connect_CertificateWithoutSan_RefusedEvenWithClusterIdInCommonName()
    {
        await AssertRefusedAsync(_pki.IssueClientCertificateWithoutSan("ccs-dev"), "has 0 DNS subject alternative names");
    }

    [Fact]
    public async Task Handshake_Tls12Client_IsRefused()
    {
        using var certificate = _pki.IssueClientCertificate("ccs-dev");
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, _port, Ct);
        await using var tls = new SslStream(tcp.GetStream());

        var error = await Record.ExceptionAsync(() => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12,
            ClientCertificates = new X509CertificateCollection { certificate },
            RemoteCertificateValidationCallback = (_, server, _, _) => IsIssuedByTestCa(server),
        }, Ct));

        Assert.True(error is AuthenticationException or IOException, $"TLS 1.2 handshake was not refused: {error}");
    }

    [Fact]
    public async Task Connect_SecondStreamFromSameCluster_ReplacesTheFirst()
    {
        var firstClient = Client(_pki.IssueClientCertificate("ccs-dev"));
        var secondClient = Client(_pki.IssueClientCertificate("ccs-dev"));
        using var first = firstClient.Connect(cancellationToken: Ct);
        await first.RequestStream.WriteAsync(HeartBeat(1, "ccs-dev"), Ct);
        await ReadHeartBeatAsync(first);

        using var second = secondClient.Connect(cancellationToken: Ct);
        await second.RequestStream.WriteAsync(HeartBeat(1, "ccs-dev"), Ct);
        var reply = await ReadHeartBeatAsync(second);

        var ended = await Assert.ThrowsAsync<RpcException>(() => first.ResponseStream.MoveNext(Ct).WaitAsync(Cap, Ct));
        Assert.Equal(StatusCode.Aborted, ended.StatusCode);
        Assert.True(reply.HeartBeat.IsAck);
        await second.RequestStream.WriteAsync(HeartBeat(2, "ccs-dev"), Ct);
        Assert.Equal(2UL, (await ReadHeartBeatAsync(second)).HeartBeat.AckedSequence);
        Assert.Equal(["ccs-dev"], _app!.Services.GetRequiredService<FederationStreamRegistry>().ConnectedClusterIds);
    }

    [Fact]
    public async Task Connect_TwoClusters_EachGetsItsOwnStampedAck()
    {
        var devClient = Client(_pki.IssueClientCertificate("ccs-dev"));
        var testClient = Client(_pki.IssueClientCertificate("ccs-test"));
        using var dev = devClient.Connect(cancellationToken: Ct);
        using var test = testClient.Connect(cancellationToken: Ct);

        await dev.RequestStream.WriteAsync(HeartBeat(1, "ccs-dev"), Ct);
        await test.RequestStream.WriteAsync(HeartBeat(1, "ccs-test"), Ct);

        Assert.Equal("ccs-dev", (await ReadHeartBeatAsync(dev)).ClusterId);
        Assert.Equal("ccs-test", (await ReadHeartBeatAsync(test)).ClusterId);
    }

    [Fact]
    public async Task Connect_TypeDisagreesWithPayload_EndsWithInvalidArgument()
    {
        var client = Client(_pki.IssueClientCertificate("ccs-dev"));
        using var call = client.Connect(cancellationToken: Ct);
        var envelope = HeartBeat(1, "ccs-dev");
        envelope.Type = MessageType.AuditEventBatch;

        await call.RequestStream.WriteAsync(envelope, Ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadHeartBeatAsync(call));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("does not match payload HeartBeat", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_MalformedAuditBatch_EndsWithInvalidArgumentNamingTheRuleAndLogsThePeer()
    {
        // Raw bytes: the stock client cannot send what it cannot build. An audit batch whose event's actor is not UTF-8.
        var raw = new Method<byte[], Envelope>(MethodType.DuplexStreaming, Conductor.Federation.Protocol.Federation.Descriptor.FullName, "Connect",
            Marshallers.Create(static (byte[] b) => b, static b => b), Marshallers.Create(static (Envelope e) => e.ToByteArray(), Envelope.Parser.ParseFrom));
        using var call = Channel(_pki.IssueClientCertificate("ccs-bad")).CreateCallInvoker().AsyncDuplexStreamingCall(raw, null, new CallOptions(cancellationToken: Ct));
        Assert.Equal(MessageType.AuditEventAck, (await ReadAsync(call)).Type); // the greeting: the stream is up

        await call.RequestStream.WriteAsync([0x08, 0x03, 0x62, 0x08, 0x0A, 0x06, 0x08, 0x01, 0x1A, 0x02, 0xC3, 0x28], Ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(call));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Envelope refused: a string is not valid UTF-8", error.Status.Detail);
        var log = await _logs.WaitForAsync(e => e.EventId.Name == "LogEnvelopeRefused");
        Assert.Contains("Ending federation stream of cluster ccs-bad from 127.0.0.1:", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_AuditEventBatch_AckedWithHighestContiguousStoredSequence()
    {
        var client = Client(_pki.IssueClientCertificate("ccs-audit"));
        using var call = client.Connect(cancellationToken: Ct);
        var greeting = await ReadAsync(call); // on connect management states what it already holds

        await call.RequestStream.WriteAsync(new Envelope
        {
            Type = MessageType.AuditEventBatch,
            Sequence = 1,
            AuditEventBatch = new AuditEventBatch { Events = { new AuditEvent { Sequence = 1 }, new AuditEvent { Sequence = 2 }, new AuditEvent { Sequence = 4 } } },
        }, Ct);
        var ack = await ReadAsync(call);

        Assert.Equal(0UL, greeting.AuditEventAck.AckedSequence);
        Assert.Equal(MessageType.AuditEventAck, ack.Type);
        Assert.Equal(2UL, ack.AuditEventAck.AckedSequence); // 4 waits behind the gap at 3
    }

    [Fact]
    public async Task Connect_TwoReplicasOfOneCluster_BothStreamsLiveEachAckedInItsOwnSequenceSpace()
    {
        var leaderClient = Client(_pki.IssueClientCertificate("ccs-ha"));
        var followerClient = Client(_pki.IssueClientCertificate("ccs-ha"));
        using var leader = leaderClient.Connect(FederationStreamHeaders.For("agent-0", control: true), cancellationToken: Ct);
        using var follower = followerClient.Connect(FederationStreamHeaders.For("agent-1", control: false), cancellationToken: Ct);
        var greetings = (await ReadAsync(leader), await ReadAsync(follower));

        await leader.RequestStream.WriteAsync(Batch(1, 2, 3), Ct);
        await follower.RequestStream.WriteAsync(Batch(1, 2), Ct);
        var leaderAck = await ReadAuditAckAsync(leader);
        var followerAck = await ReadAuditAckAsync(follower);
        await follower.RequestStream.WriteAsync(HeartBeat(7, "ccs-ha"), Ct);
        var followerHeartBeat = await ReadHeartBeatAsync(follower);

        Assert.Equal((0UL, 0UL), (greetings.Item1.AuditEventAck.AckedSequence, greetings.Item2.AuditEventAck.AckedSequence));
        Assert.Equal(3UL, leaderAck.AuditEventAck.AckedSequence);
        Assert.Equal(2UL, followerAck.AuditEventAck.AckedSequence);
        Assert.Equal(7UL, followerHeartBeat.HeartBeat.AckedSequence);
        Assert.Equal(3UL, await _app!.Services.GetRequiredService<IGrainFactory>().GetGrain<Conductor.Federation.IAuditSinkGrain>("ccs-ha/agent-0").GetHighWaterMarkAsync());
        Assert.Equal(2UL, await _app.Services.GetRequiredService<IGrainFactory>().GetGrain<Conductor.Federation.IAuditSinkGrain>("ccs-ha/agent-1").GetHighWaterMarkAsync());
        var status = await _app.Services.GetRequiredService<IGrainFactory>().GetGrain<Conductor.Federation.ITenantSessionGrain>("ccs-ha").GetStatusAsync();
        Assert.True(status.Connected);
        Assert.Equal(["ccs-ha"], _app.Services.GetRequiredService<FederationStreamRegistry>().ConnectedClusterIds);
        await leader.RequestStream.CompleteAsync();
        await follower.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Connect_ManyBatchesWithoutWaitingForAcks_EachEventStoredOnceInMergedChunksAndAcksOnlyRise()
    {
        const int Batches = 80, PerBatch = 500;
        var client = Client(_pki.IssueClientCertificate("ccs-many"));
        using var call = client.Connect(cancellationToken: Ct);
        await ReadAsync(call); // the greeting

        for (var b = 0; b < Batches; b++)
        {
            await call.RequestStream.WriteAsync(Batch([.. Enumerable.Range(b * PerBatch + 1, PerBatch).Select(s => (ulong)s)]), Ct);
        }

        var acks = new List<ulong>();
        while (acks.Count == 0 || acks[^1] < Batches * PerBatch)
        {
            acks.Add((await ReadAuditAckAsync(call).WaitAsync(Cap, Ct)).AuditEventAck.AckedSequence);
        }

        var store = new Conductor.Grains.Federation.Storage.AuditChunkStore(kubeNamespace.Client, kubeNamespace.Name, "ccs-many");
        var stored = await store.ReadAllAsync(Ct);
        var chunks = await kubeNamespace.Client.CoreV1.ListNamespacedConfigMapAsync(kubeNamespace.Name,
            labelSelector: $"{Conductor.Grains.Federation.Storage.AuditChunkStore.ClusterIdLabel}=ccs-many,{Conductor.Grains.Federation.Storage.AuditChunkStore.AuditLabel}=true", cancellationToken: Ct);
        Assert.Equal(acks.Order(), acks);
        Assert.Equal(acks.Distinct(), acks);
        Assert.Equal(Enumerable.Range(1, Batches * PerBatch).Select(s => (ulong)s), stored.Select(e => e.Sequence));
        Assert.InRange(chunks.Items.Count, 3, Batches - 1); // at least 40 000 / 16 384 chunks, and batches merged
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Connect_ReplicaHeaderNotADnsLabel_RefusedWithTheRule()
    {
        var client = Client(_pki.IssueClientCertificate("ccs-dev"));
        using var call = client.Connect(FederationStreamHeaders.For("Agent_0", control: false), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(call));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("conductor-replica 'Agent_0' is not a DNS-1123 label", error.Status.Detail, StringComparison.Ordinal);
    }

    private static Envelope Batch(params ulong[] sequences)
    {
        var batch = new AuditEventBatch();
        batch.Events.AddRange(sequences.Select(s => new AuditEvent { Sequence = s }));
        return new Envelope { Type = MessageType.AuditEventBatch, AuditEventBatch = batch };
    }

    private static async Task<Envelope> ReadAuditAckAsync(AsyncDuplexStreamingCall<Envelope, Envelope> call)
    {
        while (true)
        {
            var envelope = await ReadAsync(call);
            if (envelope.PayloadCase == Envelope.PayloadOneofCase.AuditEventAck)
            {
                return envelope;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
        var unexpected = _logs.Entries
            .Where(e => e.Level >= LogLevel.Error && !_expectedErrors.Contains(e.EventId.Name ?? ""))
            .Select(e => $"{e.Category} {e.EventId.Name}: {e.Message} {e.Exception}")
            .ToList();
        Assert.True(unexpected.Count == 0, "Unexpected error logs:\n" + string.Join('\n', unexpected));
    }

    private static Envelope HeartBeat(ulong sequence, string claimedClusterId) => new()
    {
        Type = MessageType.HeartBeat,
        Sequence = sequence,
        ClusterId = claimedClusterId,
        HeartBeat = new HeartBeat(),
    };

    private static async Task<Envelope> ReadAsync<TRequest>(AsyncDuplexStreamingCall<TRequest, Envelope> call)
    {
        Assert.True(await call.ResponseStream.MoveNext(Ct).WaitAsync(Cap, Ct), "the server ended the stream");
        return call.ResponseStream.Current;
    }

    /// <summary>The next heartbeat, skipping what management sends unasked (its greeting ack, its own heartbeats).</summary>
    private static async Task<Envelope> ReadHeartBeatAsync(AsyncDuplexStreamingCall<Envelope, Envelope> call)
    {
        while (true)
        {
            var envelope = await ReadAsync(call);
            if (envelope.PayloadCase == Envelope.PayloadOneofCase.HeartBeat && envelope.HeartBeat.IsAck)
            {
                return envelope;
            }
        }
    }

    private async Task AssertRefusedAsync(X509Certificate2? certificate, string reason)
    {
        var client = Client(certificate);

        var error = await Record.ExceptionAsync(async () =>
        {
            using var call = client.Connect(cancellationToken: Ct);
            await call.RequestStream.WriteAsync(HeartBeat(1, "ccs-dev"), Ct);
            await ReadAsync(call);
        });

        Assert.True(
            error is RpcException { StatusCode: not StatusCode.OK } or HttpRequestException or IOException or AuthenticationException,
            $"expected the connection to be refused, got {error?.GetType().Name ?? "success"}: {error?.Message}");
        var log = await _logs.WaitForAsync(e => e.EventId.Name == "LogRefused");
        Assert.Contains("Refusing federation connection from 127.0.0.1:", log.Message, StringComparison.Ordinal);
        Assert.Contains(reason, log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Name == "LogStreamOpened");
    }

    private Conductor.Federation.Protocol.Federation.FederationClient Client(X509Certificate2? certificate) => new(Channel(certificate));

    private GrpcChannel Channel(X509Certificate2? certificate)
    {
        if (certificate is not null)
        {
            _disposables.Add(certificate);
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
                RemoteCertificateValidationCallback = (_, server, _, _) => IsIssuedByTestCa(server),
            },
        };
        var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{_port}", new GrpcChannelOptions { HttpHandler = handler });
        _disposables.Add(channel);
        return channel;
    }

    private bool IsIssuedByTestCa(X509Certificate? server)
    {
        if (server is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_pki.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(server.GetRawCertData());
        return chain.Build(leaf);
    }
}
