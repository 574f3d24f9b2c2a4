using Conductor.Federation;
using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.Protocol;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// An envelope as the gateway reads it. For an audit batch, <see cref="Envelope"/> is the header with an empty
/// <see cref="AuditEventBatch"/> payload and the events are already the domain records
/// (<see cref="InboundEnvelopeParser"/> reads them straight from the wire); any other envelope is the generated
/// message and <see cref="AuditEvents"/> is null.
/// </summary>
internal sealed record InboundEnvelope(Envelope Envelope, AuditRecord[]? AuditEvents = null)
{
    /// <summary>The same form from a parsed <see cref="Envelope"/>: its audit events are mapped and moved out.</summary>
    public static InboundEnvelope From(Envelope envelope)
    {
        if (envelope.PayloadCase != Envelope.PayloadOneofCase.AuditEventBatch)
        {
            return new InboundEnvelope(envelope);
        }

        var events = envelope.AuditEventBatch.Events;
        var records = new AuditRecord[events.Count];
        for (var i = 0; i < records.Length; i++)
        {
            try
            {
                records[i] = events[i].ToDomain();
            }
            catch (InvalidOperationException) when (events[i].OccurredAt is { } at)
            {
                // Timestamp.ToDateTimeOffset: seconds or nanos outside what a timestamp may hold.
                throw InboundEnvelopeParser.TimestampOutOfRange(events[i].Sequence, at.Seconds, at.Nanos);
            }
        }

        envelope.AuditEventBatch = new AuditEventBatch();
        return new InboundEnvelope(envelope, records);
    }
}
