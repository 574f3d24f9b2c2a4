using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.AuditWal;
using Google.Protobuf;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// Where tenant components record audit events. Each event is made durable in the audit WAL (which assigns its
/// sequence) before the call completes; the federation client delivers it to management from there.
/// </summary>
public sealed class AuditEventLog(AuditWal wal)
{
    private readonly PayloadSlabs _buffers = new();

    /// <summary>Records <paramref name="auditEvent"/> (its sequence is ignored) and returns the sequence assigned.</summary>
    public ValueTask<ulong> RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        if (auditEvent.Sequence != 0)
        {
            auditEvent = auditEvent.Clone();
            auditEvent.Sequence = 0;
        }

        var payload = _buffers.Take(auditEvent.CalculateSize());
        auditEvent.WriteTo(payload.Span);
        return wal.AppendOwnedAsync(payload, cancellationToken);
    }
}
