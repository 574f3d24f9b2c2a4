using Conductor.Federation.Protocol;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Management's end of the federation channel. It authenticates the peer by its client certificate (the cluster
/// id is the certificate's DNS SAN and overrides any envelope claim), keeps one stream per cluster
/// (<see cref="FederationStreamRegistry"/>) and answers heartbeats. Audit batches, validation requests and
/// revocations are not handled by this gateway yet: it ends the stream with <c>Unimplemented</c> rather than
/// pretend to accept them.
/// </summary>
public sealed partial class FederationService(
    FederationStreamRegistry registry, TimeProvider time, ILogger<FederationService> logger)
    : Conductor.Federation.Protocol.Federation.FederationBase
{
    public override async Task Connect(
        IAsyncStreamReader<Envelope> requestStream, IServerStreamWriter<Envelope> responseStream, ServerCallContext context)
    {
        var peer = context.GetHttpContext().Connection.RemoteIpAddress + ":" + context.GetHttpContext().Connection.RemotePort;
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        string refusal = "no client certificate was presented on this connection";
        var clusterId = certificate is null ? null : FederationPeerIdentity.ClusterIdOf(certificate, out refusal);
        if (clusterId is null)
        {
            // Reached only through a listener without mandatory mTLS; the federation port refuses at the handshake.
            LogStreamRefused(logger, peer, refusal);
            throw new RpcException(new Status(StatusCode.Unauthenticated, refusal));
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ClusterId"] = clusterId, ["Peer"] = peer });
        using var lease = registry.Register(clusterId, context.CancellationToken);
        LogStreamOpened(logger, clusterId, peer);
        var sent = 0UL;
        try
        {
            await foreach (var envelope in requestStream.ReadAllAsync(lease.Token))
            {
                if (envelope.ClusterId.Length > 0 && envelope.ClusterId != clusterId)
                {
                    LogClusterIdOverridden(logger, peer, envelope.ClusterId, clusterId);
                }

                envelope.ClusterId = clusterId;
                if (await ReplyAsync(envelope, clusterId) is { } reply)
                {
                    reply.Sequence = ++sent;
                    await responseStream.WriteAsync(reply, lease.Token);
                }
            }
        }
        catch (OperationCanceledException) when (lease.IsReplaced)
        {
            LogStreamReplaced(logger, clusterId, peer);
            throw new RpcException(new Status(StatusCode.Aborted,
                $"A newer federation stream from cluster {clusterId} replaced this one"));
        }
        catch (Exception e) when (e is IOException || (e is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            // The tenant went away (reset, connection lost, its pod stopped): routine, and it will reconnect.
            LogStreamLost(logger, clusterId, peer, e.Message);
            return;
        }

        LogStreamClosed(logger, clusterId, peer);
    }

    private Task<Envelope?> ReplyAsync(Envelope envelope, string clusterId)
    {
        var expected = envelope.PayloadCase switch
        {
            Envelope.PayloadOneofCase.HeartBeat => MessageType.HeartBeat,
            Envelope.PayloadOneofCase.AuditEventBatch => MessageType.AuditEventBatch,
            Envelope.PayloadOneofCase.RunnerConfigValidationRequest => MessageType.RunnerConfigValidationRequest,
            Envelope.PayloadOneofCase.AuditEventAck => MessageType.AuditEventAck,
            Envelope.PayloadOneofCase.RevocationPush => MessageType.RevocationPush,
            Envelope.PayloadOneofCase.RunnerConfigValidationResponse => MessageType.RunnerConfigValidationResponse,
            _ => MessageType.Unspecified,
        };
        if (expected == MessageType.Unspecified || envelope.Type != expected)
        {
            throw Violation(envelope, $"type {envelope.Type} does not match payload {envelope.PayloadCase}");
        }

        switch (envelope.PayloadCase)
        {
            case Envelope.PayloadOneofCase.HeartBeat when envelope.HeartBeat.IsAck:
                // Management does not send heartbeats of its own yet, so there is nothing to match this ack to.
                return Task.FromResult<Envelope?>(null);
            case Envelope.PayloadOneofCase.HeartBeat:
                return Task.FromResult<Envelope?>(new Envelope
                {
                    Type = MessageType.HeartBeat,
                    ClusterId = clusterId,
                    Timestamp = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
                    HeartBeat = new HeartBeat { IsAck = true, AckedSequence = envelope.Sequence },
                });
            case Envelope.PayloadOneofCase.AuditEventBatch or Envelope.PayloadOneofCase.RunnerConfigValidationRequest:
                LogNotHandled(logger, clusterId, envelope.Type.ToString());
                throw new RpcException(new Status(StatusCode.Unimplemented,
                    $"This management gateway does not handle {envelope.Type} yet; the message was not accepted"));
            default:
                throw Violation(envelope, $"{envelope.Type} travels from management to tenants, never the other way");
        }
    }

    private RpcException Violation(Envelope envelope, string rule)
    {
        LogProtocolViolation(logger, envelope.ClusterId, envelope.Sequence, rule);
        return new RpcException(new Status(StatusCode.InvalidArgument, $"Envelope {envelope.Sequence}: {rule}"));
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Refusing federation stream from {Peer}: {Reason}")]
    private static partial void LogStreamRefused(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Federation stream opened for cluster {ClusterId} from {Peer}")]
    private static partial void LogStreamOpened(ILogger logger, string clusterId, string peer);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning,
        Message = "Envelope from {Peer} claims cluster {ClaimedClusterId} but its certificate proves {ClusterId}; using {ClusterId}")]
    private static partial void LogClusterIdOverridden(ILogger logger, string peer, string claimedClusterId, string clusterId);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information,
        Message = "Federation stream for cluster {ClusterId} from {Peer} was replaced by a newer stream from the same cluster")]
    private static partial void LogStreamReplaced(ILogger logger, string clusterId, string peer);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Federation stream closed for cluster {ClusterId} from {Peer}")]
    private static partial void LogStreamClosed(ILogger logger, string clusterId, string peer);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Information,
        Message = "Federation stream for cluster {ClusterId} from {Peer} ended by the peer: {Reason}")]
    private static partial void LogStreamLost(ILogger logger, string clusterId, string peer, string reason);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning,
        Message = "Ending federation stream of cluster {ClusterId}: envelope {Sequence} breaks the protocol: {Reason}")]
    private static partial void LogProtocolViolation(ILogger logger, string clusterId, ulong sequence, string reason);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Error,
        Message = "Cluster {ClusterId} sent {Type}, which this management gateway does not handle yet; ending its stream")]
    private static partial void LogNotHandled(ILogger logger, string clusterId, string type);
}
