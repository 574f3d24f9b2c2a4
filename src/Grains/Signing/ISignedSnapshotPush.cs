namespace Conductor.Grains.Signing;

/// <summary>
/// Told each time the signer writes a new signature on a PermissionSnapshot, so a connected tenant gets it over its
/// open federation stream at once instead of at its next connect or pull.
/// </summary>
public interface ISignedSnapshotPush
{
    /// <summary>PermissionSnapshot <paramref name="name"/> targeting <paramref name="clusterId"/> was just (re-)signed.</summary>
    Task SignedAsync(string clusterId, string name);
}
