using System.Collections.Immutable;
using Conductor.Federation;
using Conductor.Federation.Protocol;
using Google.Protobuf.WellKnownTypes;

namespace Conductor.Silo.Federation.Protocol;

/// <summary>Maps the federation wire messages to the domain records the grains and the tenant client use, and back.</summary>
public static class FederationMapping
{
    public static AuditRecord ToDomain(this AuditEvent e) => new(
        e.Sequence, e.OccurredAt?.ToDateTimeOffset(), e.Actor, e.Verb, e.Resource, e.Namespace, e.Name, e.Outcome, e.MatchedPolicy,
        e.Details.Count == 0 ? null : e.Details.ToImmutableDictionary());

    public static AuditBatch ToDomain(this AuditEventBatch batch) => new([.. batch.Events.Select(ToDomain)]);

    public static RevocationPush ToWire(this RevocationNotice notice) => new()
    {
        Kind = notice.Target switch
        {
            RevocationTarget.PackInstalled => RevocationKind.PackInstalled,
            RevocationTarget.PermissionSnapshot => RevocationKind.PermissionSnapshot,
            _ => RevocationKind.Unspecified,
        },
        Namespace = notice.Namespace,
        Name = notice.Name,
        Reason = notice.Reason,
        RevokedAt = Timestamp.FromDateTimeOffset(notice.RevokedAt),
        RevocationId = notice.RevocationId,
    };

    /// <summary>The domain notice of a push, or null when its kind is not one this agent knows.</summary>
    public static RevocationNotice? ToDomain(this RevocationPush push, string clusterId)
    {
        RevocationTarget? target = push.Kind switch
        {
            RevocationKind.PackInstalled => RevocationTarget.PackInstalled,
            RevocationKind.PermissionSnapshot => RevocationTarget.PermissionSnapshot,
            _ => null,
        };
        return target is null
            ? null
            : new RevocationNotice(clusterId, target.Value, push.Namespace, push.Name, push.Reason,
                push.RevokedAt?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch, push.RevocationId);
    }

    public static ValidationRequest ToDomain(this RunnerConfigValidationRequest request) =>
        new(request.RequestId, request.Namespace, request.Name, request.SpecJson);

    public static RunnerConfigValidationResponse ToWire(this ValidationVerdict verdict)
    {
        var response = new RunnerConfigValidationResponse { RequestId = verdict.RequestId, Approved = verdict.Approved };
        response.Reasons.AddRange(verdict.Reasons.Select(r => new ValidationReason { Field = r.Field, Rule = r.Rule, Message = r.Message }));
        return response;
    }

    public static ValidationVerdict ToDomain(this RunnerConfigValidationResponse response) =>
        new(response.RequestId, response.Approved, [.. response.Reasons.Select(r => new ValidationFinding(r.Field, r.Rule, r.Message))]);

    /// <summary>The message type an envelope's payload requires.</summary>
    public static MessageType ExpectedType(this Envelope envelope) => envelope.PayloadCase switch
    {
        Envelope.PayloadOneofCase.HeartBeat => MessageType.HeartBeat,
        Envelope.PayloadOneofCase.AuditEventBatch => MessageType.AuditEventBatch,
        Envelope.PayloadOneofCase.RunnerConfigValidationRequest => MessageType.RunnerConfigValidationRequest,
        Envelope.PayloadOneofCase.AuditEventAck => MessageType.AuditEventAck,
        Envelope.PayloadOneofCase.RevocationPush => MessageType.RevocationPush,
        Envelope.PayloadOneofCase.RunnerConfigValidationResponse => MessageType.RunnerConfigValidationResponse,
        Envelope.PayloadOneofCase.PermissionSnapshotPush => MessageType.PermissionSnapshotPush,
        Envelope.PayloadOneofCase.PermissionSnapshotAck => MessageType.PermissionSnapshotAck,
        _ => MessageType.Unspecified,
    };

    public static PermissionSnapshotOffer ToDomain(this PermissionSnapshotPush push) =>
        new(push.Namespace, push.Name, push.SpecJson, push.Signature, push.Version);

    public static PermissionSnapshotAcknowledgement ToDomain(this PermissionSnapshotAck ack) =>
        new(ack.Name, ack.AcknowledgedVersion, ack.Verified, ack.Reason) { AcknowledgedSignatureDigest = ack.AcknowledgedSignatureDigest };

    public static Envelope SnapshotPush(PermissionSnapshotOffer offer) => new()
    {
        Type = MessageType.PermissionSnapshotPush,
        PermissionSnapshotPush = new PermissionSnapshotPush
        {
            Namespace = offer.Namespace, Name = offer.Name, SpecJson = offer.SpecJson, Signature = offer.Signature, Version = offer.Version,
        },
    };

    public static Envelope SnapshotAck(PermissionSnapshotAcknowledgement ack) => new()
    {
        Type = MessageType.PermissionSnapshotAck,
        PermissionSnapshotAck = new PermissionSnapshotAck
        {
            Name = ack.Name, AcknowledgedVersion = ack.AcknowledgedVersion, Verified = ack.Verified, Reason = ack.Reason,
            AcknowledgedSignatureDigest = ack.AcknowledgedSignatureDigest,
        },
    };

    public static Envelope HeartBeat(bool isAck, ulong ackedSequence = 0) =>
        new() { Type = MessageType.HeartBeat, HeartBeat = new HeartBeat { IsAck = isAck, AckedSequence = ackedSequence } };

    public static Envelope AuditAck(ulong highWaterMark) =>
        new() { Type = MessageType.AuditEventAck, AuditEventAck = new AuditEventAck { AckedSequence = highWaterMark } };

    public static Envelope Revocation(RevocationNotice notice) =>
        new() { Type = MessageType.RevocationPush, RevocationPush = notice.ToWire() };
}
