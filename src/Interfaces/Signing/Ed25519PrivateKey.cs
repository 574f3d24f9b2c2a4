using Conductor.Randomness;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Conductor.Signing;

/// <summary>
/// An Ed25519 signing key (RFC 8032), read from PKCS#8 PEM: <c>PRIVATE KEY</c> as OpenSSL writes it, or the
/// <c>ED25519 PRIVATE KEY</c> label Talos puts on the same PKCS#8 body. Written back as <c>PRIVATE KEY</c>.
/// </summary>
public sealed class Ed25519PrivateKey
{
    /// <summary>The PEM label written for private keys (RFC 7468 §10).</summary>
    public const string PemLabel = "PRIVATE KEY";

    /// <summary>The label Talos uses for the same PKCS#8 body; accepted on read.</summary>
    public const string TalosPemLabel = "ED25519 PRIVATE KEY";

    /// <summary>Length of an Ed25519 signature in bytes.</summary>
    public const int SignatureSize = 64;

    private readonly Ed25519PrivateKeyParameters _key;

    private Ed25519PrivateKey(Ed25519PrivateKeyParameters key)
    {
        _key = key;
        PublicKey = new Ed25519PublicKey(key.GeneratePublicKey());
    }

    /// <summary>The matching verification key.</summary>
    public Ed25519PublicKey PublicKey { get; }

    /// <summary>The id of <see cref="PublicKey"/>.</summary>
    public string KeyId => PublicKey.KeyId;

    /// <summary>Makes a new key from 32 bytes of <paramref name="random"/> (the OS CSPRNG when null).</summary>
    public static Ed25519PrivateKey Generate(IRandomSource? random = null)
    {
        var seed = new byte[Ed25519PrivateKeyParameters.KeySize];
        (random ?? SystemRandomSource.Instance).Fill(seed);
        return new Ed25519PrivateKey(new Ed25519PrivateKeyParameters(seed));
    }

    /// <summary>
    /// Reads the first <c>PRIVATE KEY</c> or <c>ED25519 PRIVATE KEY</c> PEM block of <paramref name="pem"/>.
    /// <paramref name="source"/> names where the text came from for the error message.
    /// </summary>
    public static Ed25519PrivateKey FromPem(string pem, string source = "private key PEM")
    {
        var labels = new List<string>();
        foreach (var (label, der) in Ed25519PublicKey.ReadPem(pem, source))
        {
            labels.Add(label);
            if (label != PemLabel && label != TalosPemLabel)
            {
                continue;
            }
            object key;
            try
            {
                key = PrivateKeyFactory.CreateKey(der);
            }
            catch (Exception e)
            {
                throw new SigningKeyException($"{source}: the {label} block is not a valid PKCS#8 key: {e.Message}", e);
            }
            return key is Ed25519PrivateKeyParameters ed25519
                ? new Ed25519PrivateKey(ed25519)
                : throw new SigningKeyException(
                    $"{source}: the {label} block holds a {key.GetType().Name.Replace("PrivateKeyParameters", "", StringComparison.Ordinal)} " +
                    "key; an Ed25519 key is required (make one with `openssl genpkey -algorithm ed25519`)");
        }
        var found = labels.Count == 0 ? "no PEM block" : $"only {string.Join(", ", labels.Select(l => $"'{l}'"))}";
        throw new SigningKeyException(
            $"{source}: found {found}; a PKCS#8 PEM Ed25519 key ('-----BEGIN {PemLabel}-----' or '{TalosPemLabel}') is required");
    }

    /// <summary>The key as PKCS#8 PEM (the same minimal form <c>openssl genpkey -algorithm ed25519</c> writes).</summary>
    public string ExportPem()
    {
        var info = new PrivateKeyInfo(
            new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DerOctetString(_key.GetEncoded()));
        return Pem.Write(PemLabel, info.GetEncoded());
    }

    /// <summary>The 64-byte Ed25519 signature of <paramref name="data"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var message = data.ToArray();
        var signature = new byte[SignatureSize];
        _key.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, message, 0, message.Length, signature, 0);
        return signature;
    }

    public override string ToString() => $"Ed25519 private key {KeyId}";
}
