namespace Conductor.Observability;

/// <summary>The unlabelled counts of <see cref="ConductorMetrics"/> at one moment.</summary>
public sealed record ConductorMetricsSnapshot(
    long ConnectedTenants, long DegradedTenants, long AuditEventsReceived, long AuditEventsAcked, long Signatures);
