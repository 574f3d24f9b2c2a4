using Conductor.Randomness;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace Conductor.Compiler.Talos.Pki;

/// <summary>What a certificate says about its subject: distinguished name and validity.</summary>
internal sealed record CertificateSubject(string? CommonName, string? Organization, DateTimeOffset NotBefore, TimeSpan Validity);

/// <summary>
/// Issues the certificates of a Talos PKI the way siderolabs/crypto shapes them: self-signed CAs with
/// basicConstraints CA:TRUE, keyCertSign/cRLSign/digitalSignature and server+client auth; client leaves with
/// digitalSignature and clientAuth. Serials are 128 random bits.
/// </summary>
internal static class CertificateIssuer
{
    public static CertificateAuthority CreateAuthority(KeyAlgorithm algorithm, CertificateSubject subject, IRandomSource random)
    {
        var keys = KeyPairs.Generate(algorithm, random);
        var name = Name(subject);
        var generator = Base(name, name, keys.Public, subject, random);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
        generator.AddExtension(X509Extensions.KeyUsage, true,
            new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature));
        generator.AddExtension(X509Extensions.ExtendedKeyUsage, false,
            new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(keys.Public));
        var certificate = generator.Generate(KeyPairs.SignatureFactory(keys.Private, random));
        return CertificateAuthority.FromKeys(certificate, keys.Private);
    }

    /// <summary>A client certificate for <paramref name="subject"/> with a new key, signed by <paramref name="issuer"/>.</summary>
    public static (X509Certificate Certificate, AsymmetricKeyParameter PrivateKey) IssueClient(
        CertificateAuthority issuer, KeyAlgorithm algorithm, CertificateSubject subject, IRandomSource random)
    {
        var keys = KeyPairs.Generate(algorithm, random);
        var generator = Base(issuer.Certificate.SubjectDN, Name(subject), keys.Public, subject, random);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature));
        generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_clientAuth));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(keys.Public));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false,
            X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuer.Certificate.GetPublicKey()));
        return (generator.Generate(KeyPairs.SignatureFactory(issuer.PrivateKey, random)), keys.Private);
    }

    private static X509V3CertificateGenerator Base(
        X509Name issuer, X509Name subjectName, AsymmetricKeyParameter publicKey, CertificateSubject subject, IRandomSource random)
    {
        var serial = new byte[16];
        random.Fill(serial);
        serial[0] &= 0x7f;
        // Certificates carry whole seconds; truncating here keeps the PEM reproducible under a fake clock.
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(subject.NotBefore.ToUnixTimeSeconds()).UtcDateTime;
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(1, serial));
        generator.SetIssuerDN(issuer);
        generator.SetSubjectDN(subjectName);
        generator.SetNotBefore(notBefore);
        generator.SetNotAfter(notBefore + subject.Validity);
        generator.SetPublicKey(publicKey);
        return generator;
    }

    private static X509Name Name(CertificateSubject subject)
    {
        var oids = new List<DerObjectIdentifier>();
        var values = new List<string>();
        if (subject.Organization is { } organization)
        {
            oids.Add(X509Name.O);
            values.Add(organization);
        }
        if (subject.CommonName is { } commonName)
        {
            oids.Add(X509Name.CN);
            values.Add(commonName);
        }
        return new X509Name(oids, values);
    }
}
