namespace Conductor.Federation;

/// <summary>
/// Management revoked one signed artifact held by <see cref="ClusterId"/>. <see cref="RevocationId"/> is derived
/// from the artifact's identity (kind, namespace, name, uid), so seeing the same revocation twice (a relist, a
/// replay on reconnect) yields the same id and is applied once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RevocationNotice(
    [property: Id(0)] string ClusterId,
    [property: Id(1)] RevocationTarget Target,
    [property: Id(2)] string Namespace,
    [property: Id(3)] string Name,
    [property: Id(4)] string Reason,
    [property: Id(5)] DateTimeOffset RevokedAt,
    [property: Id(6)] string RevocationId);
