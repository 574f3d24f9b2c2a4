using System.Net;
using System.Threading.Channels;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Federation.Protocol;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Logging;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Conductor.Silo.Tests.Federation.Streams;

namespace Conductor.Silo.Tests.Federation.Gateway;

/// <summary>
/// The gateway's grain calls while membership settles, at the grain call seam: a grain factory whose session grain
/// refuses as a silo not yet declared dead does, behind a control stream driven in memory. Also the tenant going away
/// while a grain call runs, which the gateway meets at its next read.
/// </summary>
public sealed class FederationServiceGrainRetryTests : IDisposable
{
    private const string Cluster = "ccs-retry";
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(15);

    private readonly FederationPki _pki = FederationPki.Create();
    private readonly RecordingLoggerProvider _logs = new();
    private readonly SessionGrain _session = new();
    private readonly Channel<InboundEnvelope> _toManagement = Channel.CreateUnbounded<InboundEnvelope>();
    private readonly Channel<Envelope> _toTenant = Channel.CreateUnbounded<Envelope>();
    private readonly CancellationTokenSource _requestAborted = CancellationTokenSource.CreateLinkedTokenSource(Ct);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connect_SessionSiloUnavailableTwice_RetriesAndStreamContinues()
    {
        var refusals = 0;
        _session.OnHeartBeat = () => ++refusals <= 2 ? throw new SiloUnavailableException("silo 10.0.0.7:11111 is not active") : Task.CompletedTask;
        var connect = ConnectAsync();

        await SendHeartBeatAsync(1);
        await ReadAsync(e => e.HeartBeat is { IsAck: true, AckedSequence: 1 });
        await SendHeartBeatAsync(2);
        await ReadAsync(e => e.HeartBeat is { IsAck: true, AckedSequence: 2 });
        await _session.HeartBeats.Reader.ReadAsync(Ct).AsTask().WaitAsync(Cap, Ct);
        await _session.HeartBeats.Reader.ReadAsync(Ct).AsTask().WaitAsync(Cap, Ct);
        _toManagement.Writer.Complete();
        await connect.WaitAsync(Cap, Ct);

        Assert.Equal(4, refusals); // two refusals and the answer for the first heartbeat, one answer for the second
        var retries = _logs.Entries.Where(e => e.EventId.Name == "LogRetrying").ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Contains($"ITenantSessionGrain.HeartBeatReceived for cluster {Cluster}", r.Message, StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.EventId.Name == "LogStreamClosed");
    }

    [Fact]
    public async Task Connect_SessionFailsNonTransient_NoRetryStreamEnds()
    {
        var calls = 0;
        _session.OnHeartBeat = () => { calls++; throw new InvalidOperationException("session state is corrupt"); };
        var connect = ConnectAsync();

        await SendHeartBeatAsync(1);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => connect.WaitAsync(Cap, Ct));

        Assert.Equal("session state is corrupt", error.Message);
        Assert.Equal(1, calls);
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Name == "LogRetrying");
    }

    [Fact]
    public async Task Connect_TenantGoneWhileGrainCallRuns_EndsQuietlyAsStreamLost()
    {
        _session.OnHeartBeat = () =>
        {
            _requestAborted.Cancel(); // the tenant resets the stream while management records its heartbeat
            return Task.CompletedTask;
        };
        var connect = ConnectAsync();

        await SendHeartBeatAsync(1);
        await connect.WaitAsync(Cap, Ct);

        var lost = Assert.Single(_logs.Entries, e => e.EventId.Name == "LogStreamLost");
        Assert.Contains($"cluster {Cluster} from 127.0.0.1:0 ended by the peer: {AbortedRequestReader.Refusal}", lost.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Name == "LogStreamClosed");
    }

    public void Dispose()
    {
        _requestAborted.Dispose();
        _pki.Dispose();
    }

    private Task ConnectAsync()
    {
        var options = Options.Create(new FederationGatewayOptions { GrainCallRetryDelay = TimeSpan.FromMilliseconds(1) });
        var service = new FederationService(new FederationStreamRegistry(), new GrainFactory(_session),
            new GrainCallRetry(options, TimeProvider.System, _logs.CreateLogger<GrainCallRetry>()), TimeProvider.System, _logs.CreateLogger<FederationService>());
        var http = new DefaultHttpContext();
        http.Connection.ClientCertificate = _pki.IssueClientCertificate(Cluster);
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        var context = new CallContext(FederationStreamHeaders.For("", control: true), _requestAborted.Token);
        context.UserState["__HttpContext"] = http; // how Grpc.AspNetCore's GetHttpContext finds it outside a server
        var reader = new AbortedRequestReader(new ChannelStreamReader<InboundEnvelope>(_toManagement.Reader, new InboundEnvelope(new Envelope())), _requestAborted.Token);
        return Task.Run(() => service.Connect(reader, new Writer(_toTenant.Writer), context), Ct);
    }

    private ValueTask SendHeartBeatAsync(ulong sequence) =>
        _toManagement.Writer.WriteAsync(new InboundEnvelope(new Envelope { Type = MessageType.HeartBeat, Sequence = sequence, ClusterId = Cluster, HeartBeat = new HeartBeat() }), Ct);

    private async Task<Envelope> ReadAsync(Func<Envelope, bool> match)
    {
        using var cap = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cap.CancelAfter(Cap);
        while (true)
        {
            var envelope = await _toTenant.Reader.ReadAsync(cap.Token);
            if (match(envelope))
            {
                return envelope;
            }
        }
    }

    private sealed class SessionGrain : ITenantSessionGrain
    {
        public Func<Task> OnHeartBeat { get; set; } = () => Task.CompletedTask;

        public Channel<Guid> HeartBeats { get; } = Channel.CreateUnbounded<Guid>();

        public Task ConnectAsync(Guid streamId, ITenantStreamObserver observer) => Task.CompletedTask;

        public Task DisconnectAsync(Guid streamId) => Task.CompletedTask;

        public async Task HeartBeatReceivedAsync(Guid streamId)
        {
            await OnHeartBeat();
            HeartBeats.Writer.TryWrite(streamId);
        }

        public Task HeartBeatAckedAsync(Guid streamId) => Task.CompletedTask;

        public Task PushRevocationAsync(RevocationNotice notice) => throw new NotSupportedException("not used by the gateway");

        public Task PushPermissionSnapshotAsync(string name) => throw new NotSupportedException("not used by the gateway");

        public Task PermissionSnapshotAckedAsync(Guid streamId, PermissionSnapshotAcknowledgement acknowledgement) => Task.CompletedTask;

        public Task<TenantSessionStatus> GetStatusAsync() => throw new NotSupportedException("not used by the gateway");
    }

    private sealed class SinkGrain : IAuditSinkGrain
    {
        public Task<ulong> StoreAsync(AuditBatch batch) => Task.FromResult(batch.Events[^1].Sequence);

        public Task<ulong> GetHighWaterMarkAsync() => Task.FromResult(0UL);
    }

    /// <summary>Hands out the test's grains; the gateway uses nothing else of the factory.</summary>
    private sealed class GrainFactory(SessionGrain session) : IGrainFactory
    {
        private readonly SinkGrain _sink = new();

        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithStringKey =>
            typeof(TGrainInterface) == typeof(ITenantSessionGrain) ? (TGrainInterface)(object)session
            : typeof(TGrainInterface) == typeof(IAuditSinkGrain) ? (TGrainInterface)(object)_sink
            : throw new NotSupportedException($"no test grain for {typeof(TGrainInterface).Name}");

        public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
            where TGrainObserverInterface : IGrainObserver => (TGrainObserverInterface)obj;

        public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
            where TGrainObserverInterface : IGrainObserver
        {
        }

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithGuidKey => throw Unused();

        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithIntegerKey => throw Unused();

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithGuidCompoundKey => throw Unused();

        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
            where TGrainInterface : IGrainWithIntegerCompoundKey => throw Unused();

        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw Unused();

        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw Unused();

        public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw Unused();

        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw Unused();

        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw Unused();

        public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
            where TGrainInterface : IAddressable => throw Unused();

        public IAddressable GetGrain(GrainId grainId) => throw Unused();

        public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw Unused();

        public IAddressable GetGrain(Type interfaceType, IdSpan grainKey, string grainClassNamePrefix) => throw Unused();

        public IAddressable GetGrain(Type interfaceType, IdSpan grainKey) => throw Unused();

        private static NotSupportedException Unused() => new("the gateway does not call this");
    }

    private sealed class CallContext(Metadata headers, CancellationToken cancellationToken) : ServerCallContext
    {
        protected override string MethodCore => "/conductor.federation.Federation/Connect";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:50000";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore => headers;

        protected override CancellationToken CancellationTokenCore => cancellationToken;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }

    /// <summary>
    /// Refuses to read once the request is aborted, as Grpc.AspNetCore's reader does. On a server the abort reaches
    /// that reader before the service's tokens linked to the call are cancelled: Kestrel sets the flag first and then
    /// runs the linking callbacks. This reader shows that order every time.
    /// </summary>
    private sealed class AbortedRequestReader(IAsyncStreamReader<InboundEnvelope> inner, CancellationToken requestAborted) : IAsyncStreamReader<InboundEnvelope>
    {
        public const string Refusal = "Can't read messages after the request is complete.";

        public InboundEnvelope Current => inner.Current;

        public Task<bool> MoveNext(CancellationToken cancellationToken) =>
            requestAborted.IsCancellationRequested ? Task.FromException<bool>(new InvalidOperationException(Refusal)) : inner.MoveNext(cancellationToken);
    }

    private sealed class Writer(ChannelWriter<Envelope> writer) : IServerStreamWriter<Envelope>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(Envelope message) => writer.WriteAsync(message).AsTask();

        public Task WriteAsync(Envelope message, CancellationToken cancellationToken) => writer.WriteAsync(message, cancellationToken).AsTask();
    }
}
