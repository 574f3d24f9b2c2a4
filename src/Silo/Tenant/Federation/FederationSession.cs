using System.Collections.Concurrent;
using System.Threading.Channels;
using Conductor.Custody;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Grains.Federation;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Federation.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// One open stream to management: replays the audit WAL from the last acknowledged sequence and then follows it,
/// sends heartbeats, answers management's, applies acknowledgements to the WAL and revocations to
/// <see cref="RevokedArtifacts"/>, hands onboarding PermissionSnapshot pushes to custody verification and acknowledges
/// them (one at a time, in the order they arrived), and correlates validation responses. Every write goes through one
/// outbox.
/// </summary>
public sealed partial class FederationSession(
    AsyncDuplexStreamingCall<OutboundEnvelope, Envelope> call, string clusterId, AuditWal wal, RevokedArtifacts revoked,
    FederationChannelState state, FederationClientOptions options, TimeProvider time, ILogger logger, IPermissionSnapshotInbox? inbox = null)
{
    /// <summary>Pushes read but not yet answered; past this the reader waits (management sends one per snapshot).</summary>
    internal const int MaxQueuedSnapshotPushes = 64;

    // Pushes are answered off the read loop (verification writes to the apiserver, and heartbeats must keep flowing
    // meanwhile) but strictly in arrival order: two pushes of one snapshot (a live push and a re-sign) answered at once
    // could install the older copy last.
    private readonly Channel<PermissionSnapshotOffer> _pushes = Channel.CreateBounded<PermissionSnapshotOffer>(
        new BoundedChannelOptions(MaxQueuedSnapshotPushes) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ValidationVerdict>> _validations = new(StringComparer.Ordinal);
    private readonly HeartBeatMonitor _monitor = new(options.MissedAckThreshold);
    private EnvelopeOutbox<OutboundEnvelope>? _outbox;

    /// <summary>Whether management was heard on this stream.</summary>
    public bool Heard { get; private set; }

    /// <summary>Runs until the stream ends; returns whether management was ever heard on it.</summary>
    public async Task<bool> RunAsync(CancellationToken stopping)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        await using var outbox = _outbox = new EnvelopeOutbox<OutboundEnvelope>(call.RequestStream, static m => m.Header, clusterId, time, session.Token);
        var heard = false;
        var senders = Task.WhenAll(HeartBeatLoopAsync(outbox, session.Token), AuditLoopAsync(outbox, session.Token), AnswerPushesAsync(outbox, session.Token))
            .ContinueWith(t => EndOnFault(t, session), TaskScheduler.Default);
        try
        {
            await outbox.SendAsync(FederationMapping.HeartBeat(isAck: false), session.Token);
            await foreach (var envelope in call.ResponseStream.ReadAllAsync(session.Token))
            {
                if (!heard)
                {
                    heard = Heard = true;
                    state.SetLive(this);
                    LogLive(logger, clusterId, wal.AckedSequence);
                }

                await HandleAsync(envelope, outbox, session.Token);
            }
        }
        finally
        {
            state.SetLost(this);
            await session.CancelAsync();
            FailPendingValidations();
            await senders;
        }

        return heard;
    }

    /// <summary>Sends a validation request and waits for its answer, failing closed on timeout or a lost stream.</summary>
    public async Task<ValidationVerdict> ValidateAsync(ValidationRequest request, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<ValidationVerdict>(TaskCreationOptions.RunContinuationsAsynchronously);
        _validations[request.RequestId] = answer;
        try
        {
            await (_outbox ?? throw new InvalidOperationException("The session has not started")).SendAsync(new Envelope
            {
                Type = MessageType.RunnerConfigValidationRequest,
                RunnerConfigValidationRequest = new RunnerConfigValidationRequest
                {
                    RequestId = request.RequestId, Namespace = request.Namespace, Name = request.Name, SpecJson = request.SpecJson,
                },
            }, cancellationToken);
            return await answer.Task.WaitAsync(options.ValidationTimeout, time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            return FederationClient.FailClosed(request.RequestId, "ValidationUnanswered",
                $"Management did not answer within {options.ValidationTimeout.TotalSeconds} s ({e.Message}); the RunnerConfig is refused until it does");
        }
        finally
        {
            _validations.TryRemove(request.RequestId, out _);
        }
    }

    private async Task HandleAsync(Envelope envelope, EnvelopeOutbox<OutboundEnvelope> outbox, CancellationToken cancellationToken)
    {
        switch (envelope.PayloadCase)
        {
            case Envelope.PayloadOneofCase.HeartBeat when envelope.HeartBeat.IsAck:
                _monitor.Acked();
                state.SetAcksMissed(false);
                break;
            case Envelope.PayloadOneofCase.HeartBeat:
                await outbox.SendAsync(FederationMapping.HeartBeat(isAck: true, envelope.Sequence), cancellationToken);
                break;
            case Envelope.PayloadOneofCase.AuditEventAck:
                await wal.AckAsync(envelope.AuditEventAck.AckedSequence, cancellationToken);
                break;
            case Envelope.PayloadOneofCase.RevocationPush when envelope.RevocationPush.ToDomain(clusterId) is { } notice:
                await revoked.ApplyAsync(notice, cancellationToken);
                break;
            case Envelope.PayloadOneofCase.PermissionSnapshotPush:
                await _pushes.Writer.WriteAsync(envelope.PermissionSnapshotPush.ToDomain(), cancellationToken);
                break;
            case Envelope.PayloadOneofCase.RunnerConfigValidationResponse:
                if (_validations.TryGetValue(envelope.RunnerConfigValidationResponse.RequestId, out var waiting))
                {
                    waiting.TrySetResult(envelope.RunnerConfigValidationResponse.ToDomain());
                }

                break;
            default:
                LogIgnored(logger, clusterId, envelope.Type, envelope.Sequence);
                break;
        }
    }

    private async Task AnswerPushesAsync(EnvelopeOutbox<OutboundEnvelope> outbox, CancellationToken cancellationToken)
    {
        await foreach (var offer in _pushes.Reader.ReadAllAsync(cancellationToken))
        {
            await AcknowledgeAsync(offer, outbox, cancellationToken);
        }
    }

    private async Task AcknowledgeAsync(PermissionSnapshotOffer offer, EnvelopeOutbox<OutboundEnvelope> outbox, CancellationToken cancellationToken)
    {
        PermissionSnapshotAcknowledgement answer;
        try
        {
            answer = inbox is null
                ? new PermissionSnapshotAcknowledgement(offer.Name, "", false,
                    $"PermissionSnapshot {offer.Namespace}/{offer.Name}: custody verification is not running on cluster {clusterId}, so nothing can verify it")
                : await inbox.ReceiveAsync(offer, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unacknowledged: management pushes it again at the next connect.
            LogPushFailed(logger, e, clusterId, offer.Namespace, offer.Name);
            answer = new PermissionSnapshotAcknowledgement(offer.Name, "", false,
                $"PermissionSnapshot {offer.Namespace}/{offer.Name}: cluster {clusterId} could not record it: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await outbox.SendAsync(FederationMapping.SnapshotAck(answer), cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // The stream ended first; the reconnect brings the push again.
        }
    }

    private async Task HeartBeatLoopAsync(EnvelopeOutbox<OutboundEnvelope> outbox, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.HeartBeatInterval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (_monitor.Tick())
            {
                LogAcksMissed(logger, clusterId, _monitor.Missed);
                state.SetAcksMissed(true);
            }

            await outbox.SendAsync(FederationMapping.HeartBeat(isAck: false), cancellationToken);
        }
    }

    /// <summary>
    /// Sends every unacknowledged WAL record, oldest first, then follows new appends. The replay at the start of a
    /// stream reads the file; after it, records come from the WAL's live tail (what the writer just made durable)
    /// and only those that fell out of it meanwhile are read from the file again. <c>next</c> only rises, so no
    /// sequence is sent twice on this stream or skipped.
    /// </summary>
    private async Task AuditLoopAsync(EnvelopeOutbox<OutboundEnvelope> outbox, CancellationToken cancellationToken)
    {
        var next = wal.AckedSequence + 1;
        var replay = true;
        var live = new List<AuditWalRecord>(options.AuditBatchMaxEvents);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!replay && wal.TryTakeLive(next, options.AuditBatchMaxEvents, live))
            {
                if (live.Count > 0)
                {
                    next = live[^1].Sequence + 1;
                    await SendBatchAsync(outbox, live, cancellationToken);
                    live = new List<AuditWalRecord>(options.AuditBatchMaxEvents); // the sent batch is the outbox's now
                    continue;
                }
            }
            else
            {
                next = await ReplayFromFileAsync(outbox, next, cancellationToken);
                replay = false;
            }

            await wal.WaitForAppendAsync(next - 1, cancellationToken);
        }
    }

    /// <summary>Sends what the file holds from <paramref name="next"/> on; returns the next sequence to send.</summary>
    private async Task<ulong> ReplayFromFileAsync(EnvelopeOutbox<OutboundEnvelope> outbox, ulong next, CancellationToken cancellationToken)
    {
        // Records up to here that the read does not return were acknowledged and reclaimed meanwhile.
        var durable = wal.LastSequence;
        var batch = new List<AuditWalRecord>(options.AuditBatchMaxEvents);
        await foreach (var record in wal.ReadAsync(next, cancellationToken))
        {
            batch.Add(record);
            next = record.Sequence + 1;
            if (batch.Count >= options.AuditBatchMaxEvents)
            {
                await SendBatchAsync(outbox, batch, cancellationToken);
                batch = new List<AuditWalRecord>(options.AuditBatchMaxEvents);
            }
        }

        if (batch.Count > 0)
        {
            await SendBatchAsync(outbox, batch, cancellationToken);
        }

        return Math.Max(next, durable + 1);
    }

    private void EndOnFault(Task senders, CancellationTokenSource session)
    {
        // Cancelled, or the outbox closed because the stream ended: routine, the receive side reports it.
        if (senders.Exception?.Flatten().InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException and not InvalidOperationException) is { } error)
        {
            // A sender that cannot go on (a damaged WAL segment, say) ends the session; the reconnect starts over.
            LogSenderFailed(logger, error, clusterId);
            session.Cancel();
        }
    }

    /// <summary>Sends <paramref name="records"/> as one batch, encoded from their WAL bytes (never parsed here).</summary>
    private static ValueTask SendBatchAsync(EnvelopeOutbox<OutboundEnvelope> outbox, List<AuditWalRecord> records, CancellationToken cancellationToken) =>
        outbox.SendAsync(OutboundEnvelope.AuditBatch(records), cancellationToken);

    private void FailPendingValidations()
    {
        foreach (var (id, waiting) in _validations)
        {
            waiting.TrySetResult(FederationClient.FailClosed(id, FederationClient.ChannelDownRule,
                "The federation stream ended before management answered; the RunnerConfig is refused until it does"));
        }
    }

    [LoggerMessage(EventId = 3310, Level = LogLevel.Information,
        Message = "Federation channel of cluster {ClusterId} is live; replaying audit events after sequence {AckedSequence}")]
    private static partial void LogLive(ILogger logger, string clusterId, ulong ackedSequence);

    [LoggerMessage(EventId = 3311, Level = LogLevel.Warning,
        Message = "Federation channel of cluster {ClusterId} degraded: management left {Missed} heartbeats unacknowledged")]
    private static partial void LogAcksMissed(ILogger logger, string clusterId, int missed);

    [LoggerMessage(EventId = 3313, Level = LogLevel.Error, Message = "Federation sender of cluster {ClusterId} failed; ending the stream to start over")]
    private static partial void LogSenderFailed(ILogger logger, Exception exception, string clusterId);

    [LoggerMessage(EventId = 3314, Level = LogLevel.Warning,
        Message = "Cluster {ClusterId} could not record PermissionSnapshot {Namespace}/{Name} pushed by management; it stays unacknowledged")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string clusterId, string @namespace, string name);

    [LoggerMessage(EventId = 3312, Level = LogLevel.Warning, Message = "Cluster {ClusterId} ignored a {Type} envelope {Sequence} from management")]
    private static partial void LogIgnored(ILogger logger, string clusterId, MessageType type, ulong sequence);
}
