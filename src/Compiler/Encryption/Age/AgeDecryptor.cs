namespace Conductor.Compiler.Encryption.Age;

/// <summary>Decrypts binary or armored age files with X25519 identities.</summary>
public static class AgeDecryptor
{
    public static byte[] Decrypt(ReadOnlySpan<byte> file, IReadOnlyList<AgeIdentity> identities)
    {
        if (identities.Count == 0)
        {
            throw new AgeException("age decryption needs at least one identity");
        }
        var binary = AgeArmor.IsArmored(file) ? AgeArmor.Dearmor(file) : file.ToArray();
        var (stanzas, mac, macInput, headerLength) = AgeHeader.Parse(binary);

        if (stanzas.Any(s => s.Type == "scrypt"))
        {
            throw new AgeException("the file is passphrase-encrypted (scrypt stanza); only X25519 identities are supported");
        }
        var fileKey = UnwrapFileKey(stanzas, identities);
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(AgeHeader.Mac(fileKey, macInput), mac))
        {
            throw new AgeException("age header MAC mismatch: the header was modified");
        }
        return AgePayload.Decrypt(fileKey, binary.AsSpan(headerLength));
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> file, AgeIdentity identity) => Decrypt(file, [identity]);

    private static byte[] UnwrapFileKey(List<AgeStanza> stanzas, IReadOnlyList<AgeIdentity> identities)
    {
        foreach (var stanza in stanzas.Where(s => s.Type == X25519Stanza.Type))
        {
            foreach (var identity in identities)
            {
                if (X25519Stanza.TryUnwrap(stanza, identity) is { } fileKey)
                {
                    return fileKey;
                }
            }
        }
        var types = string.Join(", ", stanzas.Select(s => s.Type).Distinct());
        throw new AgeException(
            $"no identity matched any of the file's {stanzas.Count} recipient stanza(s) ({types}); tried " +
            string.Join(", ", identities.Select(i => i.Recipient.Text)));
    }
}
