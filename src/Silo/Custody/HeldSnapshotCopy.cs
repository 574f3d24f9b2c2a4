namespace Conductor.Silo.Custody;

/// <summary>The PermissionSnapshot copy the tenant kept instead of an older push: its version and management signature.</summary>
public sealed record HeldSnapshotCopy(string Version, string Signature);
