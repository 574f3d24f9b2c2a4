using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conductor.Signing;

/// <summary>Checks a <see cref="SpecSignature"/> against the RFC 8785 canonical form of a <c>.spec</c>.</summary>
public sealed class SpecVerifier(TrustedKeySet trusted)
{
    public SpecVerification Verify(JsonNode? spec, string? keyId, string? signature) =>
        Verify(() => JsonCanonicalizer.Canonicalize(spec), keyId, signature);

    public SpecVerification Verify(JsonElement spec, string? keyId, string? signature) =>
        Verify(() => JsonCanonicalizer.Canonicalize(spec), keyId, signature);

    public SpecVerification Verify(JsonNode? spec, SpecSignature? signature) => Verify(spec, signature?.KeyId, signature?.Signature);

    private SpecVerification Verify(Func<byte[]> canonicalize, string? keyId, string? signature)
    {
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(keyId))
        {
            var what = string.IsNullOrWhiteSpace(signature) ? "signature" : "key id";
            return new(SpecVerificationStatus.Missing, $"The spec has no {what}; it was never signed or the {what} was removed", keyId);
        }

        var bytes = new byte[Ed25519PrivateKey.SignatureSize + 3];
        if (!Convert.TryFromBase64String(signature, bytes, out var length) || length != Ed25519PrivateKey.SignatureSize)
        {
            return new(SpecVerificationStatus.MalformedSignature,
                $"The signature is not standard base64 of a {Ed25519PrivateKey.SignatureSize}-byte Ed25519 signature", keyId);
        }

        if (!trusted.TryGet(keyId, out var key))
        {
            return new(SpecVerificationStatus.UnknownKeyId,
                $"Key {keyId} is not trusted (trusted: {string.Join(", ", trusted.KeyIds)}); add its public key to the trusted set " +
                "or re-sign with a trusted key", keyId);
        }

        byte[] canonical;
        try
        {
            canonical = canonicalize();
        }
        catch (JsonCanonicalizationException e)
        {
            return new(SpecVerificationStatus.MalformedSpec, $"The spec has no RFC 8785 canonical form: {e.Message}", keyId);
        }

        return key.Verify(canonical, bytes.AsSpan(0, length))
            ? new(SpecVerificationStatus.Valid, $"Signed by trusted key {keyId}", keyId)
            : new(SpecVerificationStatus.BadSignature,
                $"The signature does not match the spec for key {keyId}; the spec was changed after signing or the signature is forged",
                keyId);
    }
}
