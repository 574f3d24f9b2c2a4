namespace Conductor.Federation;

/// <summary>
/// Onboarding handshake (seed §15): a signed PermissionSnapshot management pushes to a tenant that connected, as the
/// management apiserver stores it. The tenant verifies <see cref="Signature"/> over <see cref="SpecJson"/> itself.
/// </summary>
/// <param name="Namespace">Namespace of the snapshot on the management cluster (seam-tenant-{cluster}).</param>
/// <param name="Name">Name of the snapshot; the tenant's copy and its receipt carry the same name.</param>
/// <param name="SpecJson">The signed <c>.spec</c> as JSON text.</param>
/// <param name="Signature">The management-signature annotation value, <c>{keyId}:{base64}</c>.</param>
/// <param name="Version">The snapshot's <c>spec.version</c>.</param>
[GenerateSerializer, Immutable]
public sealed record PermissionSnapshotOffer(
    [property: Id(0)] string Namespace,
    [property: Id(1)] string Name,
    [property: Id(2)] string SpecJson,
    [property: Id(3)] string Signature,
    [property: Id(4)] string Version);
