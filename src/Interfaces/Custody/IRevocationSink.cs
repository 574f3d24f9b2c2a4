namespace Conductor.Custody;

/// <summary>
/// Where the tenant's federation client hands a RevocationPush: the tenant's custody verification implements it and
/// stops trusting the revoked artifact at once (its receipt is un-acknowledged and marked degraded). Revocations are
/// held in memory by the receiver; whoever persists them (the federation client's revoked-artifacts store) replays them
/// into this sink after a restart.
/// </summary>
public interface IRevocationSink
{
    Task RevokeAsync(ArtifactRevocation revocation, CancellationToken cancellationToken);
}

/// <summary>One revoked artifact, mapped from a federation RevocationPush.</summary>
/// <param name="Kind">What was revoked.</param>
/// <param name="Namespace">Namespace of the revoked resource on the management cluster.</param>
/// <param name="Name">Name of the revoked resource (the PackInstalled or the PermissionSnapshot).</param>
/// <param name="Reason">Why management revoked it; copied into the receipt.</param>
/// <param name="RevokedAt">When management revoked it.</param>
/// <param name="RevocationId">Unique per revocation; a repeated id is applied once.</param>
public sealed record ArtifactRevocation(
    RevokedArtifactKind Kind, string Namespace, string Name, string Reason, DateTimeOffset RevokedAt, string RevocationId);

public enum RevokedArtifactKind
{
    PackInstalled,
    PermissionSnapshot,
}
