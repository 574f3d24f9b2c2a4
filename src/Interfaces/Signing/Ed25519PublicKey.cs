using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Conductor.Signing;

/// <summary>
/// An Ed25519 verification key (RFC 8032), read from and written as PKIX PEM (<c>-----BEGIN PUBLIC KEY-----</c>,
/// SubjectPublicKeyInfo DER). Its <see cref="KeyId"/> names it in signatures so a verifier can hold several keys during
/// rotation.
/// </summary>
public sealed class Ed25519PublicKey
{
    /// <summary>Prefix of every key id.</summary>
    public const string KeyIdPrefix = "ed25519:";

    /// <summary>The PEM label written and accepted for public keys (RFC 7468 §13).</summary>
    public const string PemLabel = "PUBLIC KEY";

    private readonly Ed25519PublicKeyParameters _key;
    private readonly byte[] _spki;

    internal Ed25519PublicKey(Ed25519PublicKeyParameters key)
    {
        _key = key;
        _spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetEncoded();
        KeyId = KeyIdPrefix + Convert.ToHexStringLower(SHA256.HashData(_spki).AsSpan(0, 8));
    }

    /// <summary>
    /// <c>"ed25519:"</c> followed by the first 16 lowercase hex digits (8 bytes) of SHA-256 over the key's
    /// SubjectPublicKeyInfo DER, the bytes of the PEM body. Reproducible with
    /// <c>openssl pkey -pubin -in pub.pem -outform DER | sha256sum | cut -c1-16</c>.
    /// </summary>
    public string KeyId { get; }

    /// <summary>The 32-byte RFC 8032 public key.</summary>
    public byte[] ToRaw() => _key.GetEncoded();

    /// <summary>The SubjectPublicKeyInfo DER.</summary>
    public byte[] ToSubjectPublicKeyInfo() => (byte[])_spki.Clone();

    /// <summary>Reads a 32-byte RFC 8032 public key.</summary>
    public static Ed25519PublicKey FromRaw(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != Ed25519PublicKeyParameters.KeySize)
        {
            throw new SigningKeyException(
                $"An Ed25519 public key is {Ed25519PublicKeyParameters.KeySize} bytes, got {raw.Length}");
        }
        return new Ed25519PublicKey(new Ed25519PublicKeyParameters(raw));
    }

    /// <summary>
    /// Reads the first <c>PUBLIC KEY</c> PEM block of <paramref name="pem"/>. <paramref name="source"/> names where the
    /// text came from (a file path, a Secret key) for the error message.
    /// </summary>
    public static Ed25519PublicKey FromPem(string pem, string source = "public key PEM")
    {
        foreach (var (label, der) in ReadPem(pem, source))
        {
            if (label != PemLabel)
            {
                continue;
            }
            try
            {
                if (PublicKeyFactory.CreateKey(der) is Ed25519PublicKeyParameters key)
                {
                    return new Ed25519PublicKey(key);
                }
            }
            catch (Exception e) when (e is not SigningKeyException)
            {
                throw new SigningKeyException($"{source}: the PUBLIC KEY block is not a valid SubjectPublicKeyInfo: {e.Message}", e);
            }
            throw new SigningKeyException(
                $"{source}: the PUBLIC KEY block holds a key of another algorithm; an Ed25519 key is required " +
                "(make one with `openssl genpkey -algorithm ed25519`)");
        }
        throw new SigningKeyException($"{source}: no '-----BEGIN {PemLabel}-----' block found; a PKIX PEM Ed25519 public key is required");
    }

    /// <summary>The key as PKIX PEM, readable by <c>openssl pkey -pubin</c>.</summary>
    public string ExportPem() => Pem.Write(PemLabel, _spki);

    /// <summary>Whether <paramref name="signature"/> is a valid Ed25519 signature of <paramref name="data"/> by this key.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519PrivateKey.SignatureSize)
        {
            return false;
        }
        var message = data.ToArray();
        return _key.Verify(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, message, 0, message.Length,
            signature.ToArray(), 0);
    }

    public override string ToString() => KeyId;

    internal static IEnumerable<(string Label, byte[] Der)> ReadPem(string pem, string source)
    {
        try
        {
            return Pem.ReadAll(pem).ToList();
        }
        catch (FormatException e)
        {
            throw new SigningKeyException($"{source}: the PEM body is not valid base64: {e.Message}", e);
        }
    }
}
