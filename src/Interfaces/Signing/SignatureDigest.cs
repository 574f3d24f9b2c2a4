using System.Security.Cryptography;
using System.Text;

namespace Conductor.Signing;

/// <summary>
/// Names one management-signature annotation value without repeating it: the lowercase hex SHA-256 of its UTF-8 text.
/// An acknowledgement carries it beside the version, because a key rotation re-signs the same version and the tenant's
/// copy signed by the old key must not count as acknowledging the new signature.
/// </summary>
public static class SignatureDigest
{
    public static string Of(string signatureAnnotation) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(signatureAnnotation)));
}
