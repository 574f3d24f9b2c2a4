using System.Security.Cryptography;
using System.Text;
using Conductor.Signing;

namespace Conductor.Grains.Signing;

/// <summary>The canonical bytes of a spec and their SHA-256, the value of <see cref="SignatureAnnotations.SpecHash"/>.</summary>
public sealed record SpecDigest(byte[] Canonical, string Hash)
{
    /// <exception cref="JsonCanonicalizationException">The spec is not I-JSON.</exception>
    public static SpecDigest Of(string specJson)
    {
        var canonical = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(specJson));
        return new SpecDigest(canonical, Convert.ToHexStringLower(SHA256.HashData(canonical)));
    }
}
