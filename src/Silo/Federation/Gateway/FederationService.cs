using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Grains.Federation;
using Conductor.Silo.Federation.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Management's end of the federation channel, a thin adapter: it authenticates the peer by its client certificate
/// (the cluster id is the certificate's DNS SAN and overrides any envelope claim), keeps one stream per cluster
/// per tenant replica and one control stream per cluster (<see cref="FederationStreamRegistry"/>,
/// <see cref="FederationStreamHeaders"/>), registers the control stream's observer with the cluster's session
/// grain, maps each message to the grain that owns it, and writes through one <see cref="EnvelopeOutbox"/>. Every
/// replica's stream ships that replica's audit WAL to its own sink (<see cref="AuditSinkKey"/>) and may ask for
/// validation (stateless, so any replica's admission webhook can); only the control stream carries the session:
/// heartbeats recorded, revocations and onboarding snapshots pushed, their acks accepted. Grain calls refused while
/// membership settles are retried (<see cref="GrainCallRetry"/>) rather than ending the stream. It keeps no state of
/// its own beyond the open call.
/// </summary>
public sealed partial class FederationService(
    FederationStreamRegistry registry, IGrainFactory grains, GrainCallRetry retry, TimeProvider time, ILogger<FederationService> logger)
{
    /// <summary>The stream as the gateway receives it (<see cref="GatewayConnectMethod"/>).</summary>
    internal async Task Connect(
        IAsyncStreamReader<InboundEnvelope> requestStream, IServerStreamWriter<Envelope> responseStream, ServerCallContext context)
    {
        var connection = context.GetHttpContext().Connection;
        var peer = connection.RemoteIpAddress + ":" + connection.RemotePort;
        string refusal = "no client certificate was presented on this connection";
        var clusterId = connection.ClientCertificate is { } certificate ? FederationPeerIdentity.ClusterIdOf(certificate, out refusal) : null;
        if (clusterId is null)
        {
            // Reached only through a listener without mandatory mTLS; the federation port refuses at the handshake.
            LogStreamRefused(logger, peer, refusal);
            throw new RpcException(new Status(StatusCode.Unauthenticated, refusal));
        }

        if (FederationStreamHeaders.Read(context.RequestHeaders, out refusal) is not var (replica, control))
        {
            LogStreamRefused(logger, peer, refusal);
            throw new RpcException(new Status(StatusCode.InvalidArgument, refusal));
        }

        if (registry.IsDraining)
        {
            LogStreamRefused(logger, peer, "this management replica is shutting down");
            throw new RpcException(new Status(StatusCode.Unavailable, "This management replica is shutting down; connect to another"));
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ClusterId"] = clusterId, ["Replica"] = replica, ["Peer"] = peer });
        using var lease = registry.Register(clusterId, replica, control, context.CancellationToken);
        var streamId = Guid.NewGuid();
        var session = grains.GetGrain<ITenantSessionGrain>(clusterId);
        var sink = grains.GetGrain<IAuditSinkGrain>(AuditSinkKey.Of(clusterId, replica));
        using var storeFailed = CancellationTokenSource.CreateLinkedTokenSource(lease.Token);
        // Draining stops the reading only: what was read is still stored and acknowledged before the clean close.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(storeFailed.Token, registry.Draining);
        await using var outbox = new EnvelopeOutbox(responseStream, clusterId, time, lease.Token);
        await using var audit = new AuditForwarder(batch => retry.RunAsync(() => sink.StoreAsync(batch), clusterId, "IAuditSinkGrain.Store", storeFailed.Token),
            outbox, storeFailed);
        var observer = new TenantStreamObserver(outbox);
        var reference = grains.CreateObjectReference<ITenantStreamObserver>(observer);
        LogStreamOpened(logger, clusterId, peer, replica, control ? FederationStreamHeaders.ControlRole : FederationStreamHeaders.AuditRole);
        try
        {
            // The greeting: how far this replica's events are stored, so its replay starts there.
            var stored = await retry.RunAsync(sink.GetHighWaterMarkAsync, clusterId, "IAuditSinkGrain.GetHighWaterMark", storeFailed.Token);
            await outbox.SendAsync(FederationMapping.AuditAck(stored), storeFailed.Token);
            if (control)
            {
                await retry.RunAsync(() => session.ConnectAsync(streamId, reference), clusterId, "ITenantSessionGrain.Connect", storeFailed.Token);
            }

            await foreach (var inbound in requestStream.ReadAllAsync(reading.Token))
            {
                var envelope = inbound.Envelope;
                if (envelope.ClusterId.Length > 0 && envelope.ClusterId != clusterId)
                {
                    LogClusterIdOverridden(logger, peer, envelope.ClusterId, clusterId);
                }

                envelope.ClusterId = clusterId;
                await DispatchAsync(inbound, clusterId, control ? streamId : null, session, outbox, audit, storeFailed.Token);
            }
        }
        catch (EnvelopeRefusedException e)
        {
            LogEnvelopeRefused(logger, clusterId, peer, e.Message);
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Envelope refused: {e.Message}"));
        }
        catch (OperationCanceledException) when (audit.Failure is { } failure && !lease.IsReplaced)
        {
            LogStoreFailed(logger, failure, clusterId);
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"Management could not store the audit events of cluster {clusterId}; reconnect and replay from the last ack"));
        }
        catch (OperationCanceledException) when (registry.IsDraining && !storeFailed.IsCancellationRequested)
        {
            // Ends with OK once the forwarder and outbox are flushed (disposed on the way out): a clean close.
            LogStreamDrained(logger, clusterId, peer);
        }
        catch (OperationCanceledException) when (lease.IsReplaced)
        {
            LogStreamReplaced(logger, clusterId, peer);
            throw new RpcException(new Status(StatusCode.Aborted, $"A newer federation stream from cluster {clusterId} (replica '{replica}', or a newer control stream) replaced this one"));
        }
        catch (Exception e) when (e is IOException || (e is OperationCanceledException or InvalidOperationException && context.CancellationToken.IsCancellationRequested))
        {
            // The tenant went away (reset, connection lost, its pod stopped): routine, and it will reconnect. Once the
            // request is aborted gRPC's reader refuses with InvalidOperationException ("Can't read messages after the
            // request is complete"), and the abort reaches it before the tokens linked to it are cancelled.
            LogStreamLost(logger, clusterId, peer, e.Message);
            return;
        }
        finally
        {
            if (control)
            {
                await ReleaseAsync(session, streamId, reference, clusterId);
            }

            GC.KeepAlive(observer); // the object reference does not keep the observer alive by itself
        }

        LogStreamClosed(logger, clusterId, peer);
    }

    private async Task DispatchAsync(
        InboundEnvelope inbound, string clusterId, Guid? controlStreamId, ITenantSessionGrain session, EnvelopeOutbox outbox, AuditForwarder audit,
        CancellationToken cancellationToken)
    {
        var envelope = inbound.Envelope;
        if (envelope.ExpectedType() is var expected && (expected == MessageType.Unspecified || envelope.Type != expected))
        {
            throw Violation(envelope, $"type {envelope.Type} does not match payload {envelope.PayloadCase}");
        }

        switch (envelope.PayloadCase)
        {
            case Envelope.PayloadOneofCase.HeartBeat when envelope.HeartBeat.IsAck:
                if (controlStreamId is { } ackedOn)
                {
                    await retry.RunAsync(() => session.HeartBeatAckedAsync(ackedOn), clusterId, "ITenantSessionGrain.HeartBeatAcked", cancellationToken);
                }

                break;
            case Envelope.PayloadOneofCase.HeartBeat:
                await outbox.SendAsync(FederationMapping.HeartBeat(isAck: true, envelope.Sequence), cancellationToken);
                if (controlStreamId is { } heardOn)
                {
                    await retry.RunAsync(() => session.HeartBeatReceivedAsync(heardOn), clusterId, "ITenantSessionGrain.HeartBeatReceived", cancellationToken);
                }

                break;
            case Envelope.PayloadOneofCase.AuditEventBatch when inbound.AuditEvents is { } events:
                await audit.EnqueueAsync(events, cancellationToken);
                break;
            case Envelope.PayloadOneofCase.RunnerConfigValidationRequest:
                var request = envelope.RunnerConfigValidationRequest.ToDomain();
                var verdict = await retry.RunAsync(() => grains.GetGrain<IRunnerConfigValidationGrain>(0).ValidateAsync(clusterId, request), clusterId,
                    "IRunnerConfigValidationGrain.Validate", cancellationToken);
                await outbox.SendAsync(new Envelope
                {
                    Type = MessageType.RunnerConfigValidationResponse,
                    RunnerConfigValidationResponse = verdict.ToWire(),
                }, cancellationToken);
                break;
            case Envelope.PayloadOneofCase.PermissionSnapshotAck when controlStreamId is { } pushedOn:
                var acknowledgement = envelope.PermissionSnapshotAck.ToDomain();
                await retry.RunAsync(() => session.PermissionSnapshotAckedAsync(pushedOn, acknowledgement), clusterId,
                    "ITenantSessionGrain.PermissionSnapshotAcked", cancellationToken);
                break;
            case Envelope.PayloadOneofCase.PermissionSnapshotAck:
                throw Violation(envelope, "PermissionSnapshotAck answers a push on the control stream; an audit stream never receives one");
            default:
                throw Violation(envelope, $"{envelope.Type} travels from management to tenants, never the other way");
        }
    }

    private async Task ReleaseAsync(ITenantSessionGrain session, Guid streamId, ITenantStreamObserver reference, string clusterId)
    {
        try
        {
            await session.DisconnectAsync(streamId);
        }
        catch (Exception e)
        {
            // The silo is stopping; the session grain goes with it, so there is nothing left to tell.
            LogReleaseFailed(logger, clusterId, e.Message);
        }

        try
        {
            grains.DeleteObjectReference<ITenantStreamObserver>(reference);
        }
        catch (Exception e)
        {
            // The runtime is stopping: the reference goes with it. The stream still ends cleanly.
            LogReleaseFailed(logger, clusterId, e.Message);
        }
    }

    private RpcException Violation(Envelope envelope, string rule)
    {
        LogProtocolViolation(logger, envelope.ClusterId, envelope.Sequence, rule);
        return new RpcException(new Status(StatusCode.InvalidArgument, $"Envelope {envelope.Sequence}: {rule}"));
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Refusing federation stream from {Peer}: {Reason}")]
    private static partial void LogStreamRefused(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information,
        Message = "Federation stream opened for cluster {ClusterId} from {Peer} (replica '{Replica}', {Role} stream)")]
    private static partial void LogStreamOpened(ILogger logger, string clusterId, string peer, string replica, string role);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning,
        Message = "Envelope from {Peer} claims cluster {ClaimedClusterId} but its certificate proves {ClusterId}; using {ClusterId}")]
    private static partial void LogClusterIdOverridden(ILogger logger, string peer, string claimedClusterId, string clusterId);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information,
        Message = "Federation stream for cluster {ClusterId} from {Peer} was replaced by a newer stream from the same cluster")]
    private static partial void LogStreamReplaced(ILogger logger, string clusterId, string peer);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Information,
        Message = "Closing the federation stream of cluster {ClusterId} from {Peer} cleanly: this replica is shutting down")]
    private static partial void LogStreamDrained(ILogger logger, string clusterId, string peer);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Federation stream closed for cluster {ClusterId} from {Peer}")]
    private static partial void LogStreamClosed(ILogger logger, string clusterId, string peer);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Information,
        Message = "Federation stream for cluster {ClusterId} from {Peer} ended by the peer: {Reason}")]
    private static partial void LogStreamLost(ILogger logger, string clusterId, string peer, string reason);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning,
        Message = "Ending federation stream of cluster {ClusterId}: envelope {Sequence} breaks the protocol: {Reason}")]
    private static partial void LogProtocolViolation(ILogger logger, string clusterId, ulong sequence, string reason);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning,
        Message = "Ending federation stream of cluster {ClusterId} from {Peer}: an envelope is malformed: {Reason}")]
    private static partial void LogEnvelopeRefused(ILogger logger, string clusterId, string peer, string reason);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Error,
        Message = "Storing audit events of cluster {ClusterId} failed; ending its stream so it replays from the last ack. Check the management apiserver")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string clusterId);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Information,
        Message = "Could not tell the session grain of cluster {ClusterId} that its stream ended: {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string clusterId, string reason);
}
