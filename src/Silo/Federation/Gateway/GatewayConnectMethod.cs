using Conductor.Federation.Protocol;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Management's side of Federation.Connect: the same RPC the generated code binds (same path, same Envelope bytes
/// both ways), with a request marshaller that hands the gateway an <see cref="InboundEnvelope"/>, so audit batches
/// are read straight into domain records (<see cref="InboundEnvelopeParser"/>). Registered as the service's method
/// provider in place of the generated binder, which <see cref="FederationService"/> no longer derives from.
/// </summary>
internal sealed class GatewayConnectMethod : IServiceMethodProvider<FederationService>
{
    public static readonly Method<InboundEnvelope, Envelope> Connect = new(
        MethodType.DuplexStreaming,
        Conductor.Federation.Protocol.Federation.Descriptor.FullName,
        "Connect",
        Marshallers.Create<InboundEnvelope>(
            static (_, _) => throw new NotSupportedException("Management never writes a tenant's requests"),
            static c => InboundEnvelopeParser.Parse(c.PayloadAsReadOnlySequence())),
        Marshallers.Create<Envelope>(Serialize, static _ => throw new NotSupportedException("Management never reads its own responses")));

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<FederationService> context) =>
        context.AddDuplexStreamingMethod(Connect, [], static (service, requests, responses, call) => service.Connect(requests, responses, call));

    // As the generated marshaller writes a message.
    private static void Serialize(Envelope envelope, SerializationContext context)
    {
        context.SetPayloadLength(envelope.CalculateSize());
        envelope.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
