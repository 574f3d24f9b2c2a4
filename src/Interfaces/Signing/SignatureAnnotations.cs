using System.Diagnostics.CodeAnalysis;

namespace Conductor.Signing;

/// <summary>
/// The annotations management writes on every signed resource, in one place for signer and verifier.
/// <para>
/// <see cref="Signature"/> holds <c>{keyId}:{base64 signature}</c>, for example
/// <c>ed25519:0123456789abcdef:q83v…==</c>: the key id travels in the same value as the signature, so the two can never
/// be updated apart. Key ids contain a colon themselves; base64 never does, so the value splits at its last colon.
/// </para>
/// <para>
/// <see cref="SpecHash"/> holds the lowercase hex SHA-256 of the RFC 8785 canonical spec that was signed. The signer
/// compares it with the current spec to tell a changed spec (re-sign) from an unchanged one (leave alone).
/// </para>
/// </summary>
public static class SignatureAnnotations
{
    /// <summary><c>{keyId}:{base64 Ed25519 signature of the canonical spec}</c>.</summary>
    public const string Signature = "seam.ontai.dev/management-signature";

    /// <summary>Lowercase hex SHA-256 of the canonical spec the signature covers.</summary>
    public const string SpecHash = "seam.ontai.dev/spec-hash";

    /// <summary>The annotation value for <paramref name="signature"/>.</summary>
    public static string Format(SpecSignature signature) => $"{signature.KeyId}:{signature.Signature}";

    /// <summary>Splits an annotation value into key id and signature; false when it has no key id or no signature.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out SpecSignature? signature)
    {
        signature = null;
        var colon = value?.LastIndexOf(':') ?? -1;
        if (value is null || colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }
        signature = new SpecSignature(value[..colon], value[(colon + 1)..]);
        return true;
    }
}
