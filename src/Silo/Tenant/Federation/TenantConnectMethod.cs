using System.Buffers;
using Conductor.Federation.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// The tenant's side of Federation.Connect: the same RPC as the generated client's, with a request marshaller that
/// writes an <see cref="OutboundEnvelope"/>, so audit batches go out straight from WAL bytes
/// (<see cref="WalAuditBatchEncoding"/>). Management sees ordinary Envelopes.
/// </summary>
internal static class TenantConnectMethod
{
    public static readonly Method<OutboundEnvelope, Envelope> Connect = new(
        MethodType.DuplexStreaming,
        Conductor.Federation.Protocol.Federation.Descriptor.FullName,
        "Connect",
        Marshallers.Create<OutboundEnvelope>(Serialize, static _ => throw new NotSupportedException("The tenant never reads its own requests")),
        Marshallers.Create<Envelope>(
            static (_, _) => throw new NotSupportedException("The tenant never writes management's responses"),
            static c => Envelope.Parser.ParseFrom(c.PayloadAsReadOnlySequence())));

    public static AsyncDuplexStreamingCall<OutboundEnvelope, Envelope> Open(CallInvoker invoker, Metadata headers, CancellationToken cancellationToken) =>
        invoker.AsyncDuplexStreamingCall(Connect, null, new CallOptions(headers, cancellationToken: cancellationToken));

    private static void Serialize(OutboundEnvelope envelope, SerializationContext context)
    {
        context.SetPayloadLength(envelope.AuditRecords is { } records
            ? WalAuditBatchEncoding.CalculateSize(envelope.Header, records)
            : envelope.Header.CalculateSize());
        Write(envelope, context.GetBufferWriter());
        context.Complete();
    }

    private static void Write(OutboundEnvelope envelope, IBufferWriter<byte> writer)
    {
        if (envelope.AuditRecords is { } records)
        {
            WalAuditBatchEncoding.WriteTo(envelope.Header, records, writer);
        }
        else
        {
            envelope.Header.WriteTo(writer);
        }
    }
}
