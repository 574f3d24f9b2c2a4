namespace Conductor.Silo.Permissions;

/// <summary>An answer: allowed with the grant that decided it, or denied with a reason naming what did not match.</summary>
public sealed record PermissionDecision(bool Allowed, string Reason, PermissionGrant? MatchedGrant, string SnapshotVersion);
