using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Conductor.Compiler.Talos.Pki;

/// <summary>PEM encodings of certificates and keys, with the labels Talos writes and reads.</summary>
internal static class PemText
{
    public const string Certificate = "CERTIFICATE";
    public const string EcPrivateKey = "EC PRIVATE KEY";
    public const string Ed25519PrivateKey = "ED25519 PRIVATE KEY";
    public const string RsaPrivateKey = "RSA PRIVATE KEY";

    public static string Encode(string label, byte[] der) => new string(PemEncoding.Write(label, der)) + "\n";

    public static string OfCertificate(X509Certificate certificate) => Encode(Certificate, certificate.GetEncoded());

    /// <summary>EC keys as SEC1 <c>EC PRIVATE KEY</c>; Ed25519 as a PKCS#8 v1 body under Talos' own label.</summary>
    public static string OfPrivateKey(AsymmetricKeyParameter key) => key switch
    {
        ECPrivateKeyParameters ec => Encode(EcPrivateKey, PrivateKeyInfoFactory.CreatePrivateKeyInfo(ec).ParsePrivateKey().GetEncoded()),
        // Written by hand to stay PKCS#8 v1 (no embedded public key), which every PKCS#8 reader accepts.
        Ed25519PrivateKeyParameters ed => Encode(Ed25519PrivateKey, new PrivateKeyInfo(
            new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DerOctetString(ed.GetEncoded())).GetEncoded()),
        _ => throw new ArgumentException($"unsupported private key type {key.GetType().Name}", nameof(key)),
    };

    /// <summary>Reads the first block of <paramref name="pem"/>; null when there is none.</summary>
    public static (string Label, byte[] Der)? ReadFirst(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            return null;
        }
        var label = pem[fields.Label];
        return (label, Convert.FromBase64String(pem[fields.Base64Data]));
    }

    /// <summary>A certificate from PEM; throws <see cref="FormatException"/> with the reason.</summary>
    public static X509Certificate ReadCertificate(string pem)
    {
        var block = ReadFirst(pem) ?? throw new FormatException("no PEM block found");
        if (block.Label != Certificate)
        {
            throw new FormatException($"expected a {Certificate} PEM block, found '{block.Label}'");
        }
        try
        {
            return new X509Certificate(block.Der);
        }
        catch (Exception e)
        {
            throw new FormatException($"the certificate does not parse: {e.Message}", e);
        }
    }

    /// <summary>A private key from SEC1, PKCS#1 or PKCS#8 PEM (any label Talos uses); throws <see cref="FormatException"/>.</summary>
    public static AsymmetricKeyParameter ReadPrivateKey(string pem)
    {
        var block = ReadFirst(pem) ?? throw new FormatException("no PEM block found");
        try
        {
            return block.Label switch
            {
                EcPrivateKey => ReadSec1(block.Der),
                RsaPrivateKey => ReadPkcs1(block.Der),
                "PRIVATE KEY" or Ed25519PrivateKey => PrivateKeyFactory.CreateKey(block.Der),
                _ => throw new FormatException($"unsupported private key PEM label '{block.Label}'"),
            };
        }
        catch (Exception e) when (e is not FormatException)
        {
            throw new FormatException($"the {block.Label} block does not parse: {e.Message}", e);
        }
    }

    private static AsymmetricKeyParameter ReadSec1(byte[] der)
    {
        var sec1 = ECPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(der));
        var curve = sec1.Parameters as DerObjectIdentifier
            ?? throw new FormatException("the EC key does not name its curve");
        var info = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, curve), sec1);
        return PrivateKeyFactory.CreateKey(info);
    }

    private static AsymmetricKeyParameter ReadPkcs1(byte[] der)
    {
        var rsa = RsaPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(der));
        return new RsaPrivateCrtKeyParameters(rsa);
    }
}
