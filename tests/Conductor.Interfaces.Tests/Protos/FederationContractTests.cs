using Conductor.Federation.Protocol;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Conductor.Interfaces.Tests.Protos;

public sealed class FederationContractTests
{
    [Fact]
    public void Connect_Descriptor_IsOneBidirectionalStream()
    {
        var service = Assert.Single(FederationReflection.Descriptor.Services);
        var method = Assert.Single(service.Methods);

        Assert.Equal("seam.federation.v1.Federation", service.FullName);
        Assert.Equal("Connect", method.Name);
        Assert.True(method.IsClientStreaming);
        Assert.True(method.IsServerStreaming);
        Assert.Equal(Envelope.Descriptor, method.InputType);
        Assert.Equal(Envelope.Descriptor, method.OutputType);
    }

    [Fact]
    public void Envelope_PayloadOneof_HoldsExactlyTheEightMessageTypes()
    {
        var oneof = Assert.Single(Envelope.Descriptor.Oneofs);
        var payloads = oneof.Fields.Select(f => f.MessageType.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(
            ["AuditEventAck", "AuditEventBatch", "HeartBeat", "PermissionSnapshotAck", "PermissionSnapshotPush", "RevocationPush",
             "RunnerConfigValidationRequest", "RunnerConfigValidationResponse"],
            payloads);
        // One MessageType value per payload, plus the proto3 zero value.
        var messageType = FederationReflection.Descriptor.EnumTypes.Single(e => e.Name == nameof(MessageType));
        Assert.Equal(9, messageType.Values.Count);
    }

    [Fact]
    public void Envelope_AuditBatchRoundTrip_KeepsEveryField()
    {
        var sent = new Envelope
        {
            Type = MessageType.AuditEventBatch,
            Sequence = 42,
            ClusterId = "ccs-dev",
            Timestamp = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            AuditEventBatch = new AuditEventBatch
            {
                Events =
                {
                    new AuditEvent
                    {
                        Sequence = 7, Actor = "system:serviceaccount:ont-system:x", Verb = "delete",
                        Resource = "rbac.authorization.k8s.io/roles", Namespace = "team-a", Name = "viewer",
                        Outcome = "denied", MatchedPolicy = "guardian-strict",
                        OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero)),
                        Details = { ["webhook"] = "rbac-ownership" },
                    },
                },
            },
        };

        var received = Envelope.Parser.ParseFrom(sent.ToByteArray());

        Assert.Equal(sent, received);
        Assert.Equal(Envelope.PayloadOneofCase.AuditEventBatch, received.PayloadCase);
        Assert.Equal("rbac-ownership", received.AuditEventBatch.Events[0].Details["webhook"]);
    }

    [Fact]
    public void PermissionSnapshotAck_Fields_KeepTheirNumbersAndAddTheSignatureDigestAsFive()
    {
        var fields = PermissionSnapshotAck.Descriptor.Fields.InFieldNumberOrder().Select(f => (f.FieldNumber, f.Name)).ToArray();

        Assert.Equal(
            [(1, "name"), (2, "acknowledged_version"), (3, "verified"), (4, "reason"), (5, "acknowledged_signature_digest")],
            fields);
    }
}
