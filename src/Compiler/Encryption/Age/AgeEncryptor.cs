using Conductor.Randomness;

namespace Conductor.Compiler.Encryption.Age;

/// <summary>Encrypts to one or more age X25519 recipients (c2sp.org/age), in the binary or the armored format.</summary>
public static class AgeEncryptor
{
    /// <summary>The binary age file encrypting <paramref name="plaintext"/> to every recipient.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<AgeRecipient> recipients, IRandomSource? random = null)
    {
        if (recipients.Count == 0)
        {
            throw new AgeException("age encryption needs at least one recipient");
        }
        random ??= SystemRandomSource.Instance;
        var fileKey = new byte[AgeFormat.FileKeySize];
        random.Fill(fileKey);
        var stanzas = recipients.Select(r => X25519Stanza.Wrap(fileKey, r, random)).ToList();
        var nonce = new byte[AgeFormat.PayloadNonceSize];
        random.Fill(nonce);

        using var output = new MemoryStream();
        output.Write(AgeHeader.Encode(stanzas, fileKey));
        AgePayload.Encrypt(fileKey, nonce, plaintext, output);
        return output.ToArray();
    }

    /// <summary>The same as <see cref="Encrypt"/>, wrapped in age's ASCII armor.</summary>
    public static string EncryptArmored(ReadOnlySpan<byte> plaintext, IReadOnlyList<AgeRecipient> recipients, IRandomSource? random = null) =>
        AgeArmor.Armor(Encrypt(plaintext, recipients, random));
}
