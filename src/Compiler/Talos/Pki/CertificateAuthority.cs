using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace Conductor.Compiler.Talos.Pki;

/// <summary>
/// A CA certificate with its private key, and both as the PEM text Talos stores (base64 in the config). Imported CAs
/// keep their original PEM text so a re-derived config carries exactly the bytes the cluster already trusts.
/// </summary>
internal sealed record CertificateAuthority(
    X509Certificate Certificate, AsymmetricKeyParameter PrivateKey, string CertificatePem, string PrivateKeyPem)
{
    public static CertificateAuthority FromKeys(X509Certificate certificate, AsymmetricKeyParameter privateKey) =>
        new(certificate, privateKey, PemText.OfCertificate(certificate), PemText.OfPrivateKey(privateKey));
}
