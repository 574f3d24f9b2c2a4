namespace Conductor.Federation;

/// <summary>
/// The tenant's answer to a <see cref="PermissionSnapshotOffer"/>, sent once its PermissionSnapshotReceipt is written.
/// </summary>
/// <param name="Name">The snapshot's name.</param>
/// <param name="AcknowledgedVersion">The version the receipt acknowledged; empty when it did not verify.</param>
/// <param name="Verified">Whether the signature verified and the snapshot was installed.</param>
/// <param name="Reason">Why it was refused, naming the resource and the cause; or what verified it.</param>
[GenerateSerializer, Immutable]
public sealed record PermissionSnapshotAcknowledgement(
    [property: Id(0)] string Name,
    [property: Id(1)] string AcknowledgedVersion,
    [property: Id(2)] bool Verified,
    [property: Id(3)] string Reason)
{
    /// <summary>
    /// <see cref="Conductor.Signing.SignatureDigest"/> of the signature the tenant verified and installed; empty when it did
    /// not verify. With the version it identifies what was acknowledged: a key rotation re-signs the same version.
    /// </summary>
    [Id(4)]
    public string AcknowledgedSignatureDigest { get; init; } = "";
}
