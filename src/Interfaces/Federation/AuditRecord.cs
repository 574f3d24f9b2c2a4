using System.Collections.Immutable;

namespace Conductor.Federation;

/// <summary>
/// One audit event as management stores it. <see cref="Sequence"/> is assigned by the tenant's write-ahead log:
/// it starts at 1, increases by one and is never reused, so (cluster id, sequence) identifies the event.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AuditRecord(
    [property: Id(0)] ulong Sequence,
    [property: Id(1)] DateTimeOffset? OccurredAt,
    [property: Id(2)] string Actor,
    [property: Id(3)] string Verb,
    [property: Id(4)] string Resource,
    [property: Id(5)] string Namespace,
    [property: Id(6)] string Name,
    [property: Id(7)] string Outcome,
    [property: Id(8)] string MatchedPolicy,
    [property: Id(9)] ImmutableDictionary<string, string>? Details = null);
