using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conductor.Signing;

/// <summary>Signs the RFC 8785 canonical form of a <c>.spec</c>, so that key order and whitespace do not matter.</summary>
public sealed class SpecSigner(Ed25519PrivateKey key)
{
    public string KeyId => key.KeyId;

    /// <exception cref="JsonCanonicalizationException">The spec is not I-JSON.</exception>
    public SpecSignature Sign(JsonNode? spec) => SignCanonical(JsonCanonicalizer.Canonicalize(spec));

    /// <exception cref="JsonCanonicalizationException">The spec is not I-JSON.</exception>
    public SpecSignature Sign(JsonElement spec) => SignCanonical(JsonCanonicalizer.Canonicalize(spec));

    private SpecSignature SignCanonical(byte[] canonical) => new(key.KeyId, Convert.ToBase64String(key.Sign(canonical)));
}
