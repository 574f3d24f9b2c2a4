namespace Conductor.Signing;

/// <summary>An Ed25519 signature over the RFC 8785 canonical bytes of a resource's <c>.spec</c>.</summary>
/// <param name="KeyId">Id of the signing key (<see cref="Ed25519PublicKey.KeyId"/>).</param>
/// <param name="Signature">The 64-byte signature, standard base64 with padding.</param>
public sealed record SpecSignature(string KeyId, string Signature);
