using System.Security.Cryptography;
using System.Text;
using Conductor.Randomness;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Conductor.Compiler.Encryption.Age;

/// <summary>Wraps and unwraps the file key for X25519 recipients (age spec, "X25519 recipient stanza").</summary>
internal static class X25519Stanza
{
    public const string Type = "X25519";
    private static readonly byte[] Info = Encoding.ASCII.GetBytes("age-encryption.org/v1/X25519");

    public static AgeStanza Wrap(ReadOnlySpan<byte> fileKey, AgeRecipient recipient, IRandomSource random)
    {
        var ephemeral = new byte[X25519.ScalarSize];
        random.Fill(ephemeral);
        var share = new byte[X25519.PointSize];
        X25519.ScalarMultBase(ephemeral, 0, share, 0);
        var shared = new byte[X25519.PointSize];
        if (!X25519.CalculateAgreement(ephemeral, 0, recipient.PublicKey.ToArray(), 0, shared, 0))
        {
            throw new AgeException($"age recipient \"{recipient}\" is a low-order point; no shared secret can be agreed with it");
        }
        var body = Seal(WrapKey(shared, share, recipient.PublicKey), fileKey);
        return new AgeStanza(Type, [AgeBase64.Encode(share)], body);
    }

    /// <summary>The file key, or null when the stanza is addressed to someone else.</summary>
    public static byte[]? TryUnwrap(AgeStanza stanza, AgeIdentity identity)
    {
        if (stanza.Arguments.Count != 1 || AgeBase64.TryDecode(stanza.Arguments[0]) is not { Length: X25519.PointSize } share)
        {
            throw new AgeException("malformed X25519 stanza: it must carry exactly one argument, the base64 of a 32-byte share");
        }
        if (stanza.Body.Length != AgeFormat.FileKeySize + AgeFormat.TagSize)
        {
            throw new AgeException($"malformed X25519 stanza: the body must be {AgeFormat.FileKeySize + AgeFormat.TagSize} bytes");
        }
        var shared = new byte[X25519.PointSize];
        if (!X25519.CalculateAgreement(identity.Secret.ToArray(), 0, share, 0, shared, 0))
        {
            throw new AgeException("malformed X25519 stanza: the share is a low-order point (all-zero shared secret)");
        }
        var key = WrapKey(shared, share, identity.Recipient.PublicKey);
        var fileKey = new byte[AgeFormat.FileKeySize];
        using var aead = new ChaCha20Poly1305(key);
        try
        {
            aead.Decrypt(new byte[AgeFormat.NonceSize], stanza.Body.AsSpan(0, AgeFormat.FileKeySize),
                stanza.Body.AsSpan(AgeFormat.FileKeySize), fileKey);
            return fileKey;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] WrapKey(byte[] shared, ReadOnlySpan<byte> share, ReadOnlySpan<byte> recipient)
    {
        var salt = new byte[share.Length + recipient.Length];
        share.CopyTo(salt);
        recipient.CopyTo(salt.AsSpan(share.Length));
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, salt, Info);
    }

    private static byte[] Seal(byte[] key, ReadOnlySpan<byte> fileKey)
    {
        var body = new byte[fileKey.Length + AgeFormat.TagSize];
        using var aead = new ChaCha20Poly1305(key);
        aead.Encrypt(new byte[AgeFormat.NonceSize], fileKey, body.AsSpan(0, fileKey.Length), body.AsSpan(fileKey.Length));
        return body;
    }
}
