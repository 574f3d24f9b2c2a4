using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.AuditWal;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// What the tenant writes on its federation stream: an ordinary <see cref="Envelope"/>, or an audit batch whose
/// events go on the wire straight from their WAL records (<see cref="AuditRecords"/>), never parsed into
/// <see cref="AuditEvent"/> objects. Either way <see cref="Header"/> is what the outbox stamps (sequence, cluster id,
/// time); for an audit batch it carries no payload of its own (<see cref="TenantConnectMethod"/> encodes it).
/// </summary>
public sealed class OutboundEnvelope
{
    private OutboundEnvelope(Envelope header, IReadOnlyList<AuditWalRecord>? auditRecords) =>
        (Header, AuditRecords) = (header, auditRecords);

    public Envelope Header { get; }

    /// <summary>The events of an audit batch, in ascending sequence order; null for any other envelope.</summary>
    public IReadOnlyList<AuditWalRecord>? AuditRecords { get; }

    public static implicit operator OutboundEnvelope(Envelope envelope) => Of(envelope);

    public static OutboundEnvelope Of(Envelope envelope) => new(envelope, null);

    /// <summary>An audit batch of <paramref name="records"/>, which the caller no longer changes.</summary>
    public static OutboundEnvelope AuditBatch(IReadOnlyList<AuditWalRecord> records) =>
        new(new Envelope { Type = MessageType.AuditEventBatch }, records);
}
