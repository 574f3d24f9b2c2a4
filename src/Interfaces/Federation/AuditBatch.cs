using System.Collections.Immutable;

namespace Conductor.Federation;

/// <summary>Audit events a tenant sent in one envelope, in ascending sequence order; replays may repeat events.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditBatch([property: Id(0)] ImmutableArray<AuditRecord> Events);
