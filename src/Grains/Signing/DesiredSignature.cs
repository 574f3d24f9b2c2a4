using Conductor.Signing;

namespace Conductor.Grains.Signing;

/// <summary>What a signed resource should carry: its spec digest and the signature the active key makes over it.</summary>
public sealed record DesiredSignature(string Signature, string SpecHash)
{
    /// <summary>
    /// Ed25519 is deterministic, so the desired annotation is exactly computable: any difference from what is observed
    /// (changed spec, rotated key, damaged value) means a write, and equality means none. That is what keeps several
    /// observers of the same resource from flapping its annotations.
    /// </summary>
    public static DesiredSignature For(SpecDigest digest, Ed25519PrivateKey key) =>
        new(SignatureAnnotations.Format(new SpecSignature(key.KeyId, Convert.ToBase64String(key.Sign(digest.Canonical)))), digest.Hash);

    public bool MatchesAnnotations(string? signature, string? specHash) =>
        string.Equals(signature, Signature, StringComparison.Ordinal) && string.Equals(specHash, SpecHash, StringComparison.Ordinal);
}
