using System.Security.Cryptography;

namespace Conductor.Compiler.Talos.Pki;

/// <summary>
/// Makes the RSA service-account key. Separate from <see cref="Conductor.Randomness.IRandomSource"/> because an
/// RSA prime search driven by managed code takes seconds; production uses the platform's OpenSSL, and tests
/// inject a fixed key so the whole bundle stays reproducible.
/// </summary>
internal interface IRsaKeyGenerator
{
    /// <summary>A new key as PKCS#1 PEM (<c>RSA PRIVATE KEY</c>), the form Talos stores.</summary>
    string GeneratePkcs1Pem(int bits);
}

/// <summary>RSA keys from the operating system's crypto library (OpenSSL on Linux).</summary>
internal sealed class SystemRsaKeyGenerator : IRsaKeyGenerator
{
    public static readonly SystemRsaKeyGenerator Instance = new();

    public string GeneratePkcs1Pem(int bits)
    {
        using var rsa = RSA.Create(bits);
        return rsa.ExportRSAPrivateKeyPem() + "\n";
    }
}
