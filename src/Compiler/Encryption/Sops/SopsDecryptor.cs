using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Conductor.Compiler.Encryption.Age;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Encryption.Sops;

/// <summary>Decrypts a SOPS YAML file written for age recipients and verifies its MAC.</summary>
public static class SopsDecryptor
{
    /// <summary>The plaintext document (without the <c>sops</c> block), after checking every value against the MAC.</summary>
    public static string DecryptYaml(string yaml, IReadOnlyList<AgeIdentity> identities)
    {
        var root = SopsDocument.Load(yaml);
        var metadata = SopsMetadata.FromYaml(root);
        var dataKey = DecryptDataKey(metadata, identities);
        var selector = metadata.EncryptedRegex is { } pattern
            ? new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            : throw new SopsException("sops.encrypted_regex is missing; only encrypted_regex files are supported");

        using var mac = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        foreach (var leaf in SopsTree.Leaves(root))
        {
            var encrypted = leaf.Path.Any(selector.IsMatch) && !string.IsNullOrEmpty(leaf.Node.Value);
            var value = encrypted
                ? SopsValueCipher.Decrypt(leaf.Node.Value!, dataKey, leaf.AdditionalData, leaf.Where)
                : SopsValue.FromScalar(leaf.Node, leaf.Where);
            if (value is null)
            {
                continue;
            }
            mac.AppendData(Encoding.UTF8.GetBytes(value.Text));
            if (encrypted)
            {
                var plain = value.ToScalar();
                leaf.Node.Value = plain.Value;
                leaf.Node.Style = plain.Style;
            }
        }

        var expected = SopsValueCipher.Decrypt(metadata.Mac, dataKey, metadata.LastModified, "sops.mac");
        if (!CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expected.Text), Encoding.ASCII.GetBytes(Convert.ToHexString(mac.GetHashAndReset()))))
        {
            throw new SopsException("MAC mismatch: the file's values were changed, added or removed after encryption");
        }
        root.Children.Remove(new YamlScalarNode(SopsTree.MetadataKey));
        return SopsDocument.Save(root);
    }

    /// <summary>The 32-byte data key, unwrapped by the first identity that matches one of the file's age entries.</summary>
    public static byte[] DecryptDataKey(string yaml, IReadOnlyList<AgeIdentity> identities) =>
        DecryptDataKey(SopsMetadata.FromYaml(SopsDocument.Load(yaml)), identities);

    private static byte[] DecryptDataKey(SopsMetadata metadata, IReadOnlyList<AgeIdentity> identities)
    {
        if (metadata.Age.Count == 0)
        {
            throw new SopsException("sops.age lists no recipients; the data key is not wrapped for any age key");
        }
        foreach (var (recipient, enc) in metadata.Age)
        {
            try
            {
                var key = AgeDecryptor.Decrypt(Encoding.ASCII.GetBytes(enc), identities);
                return key.Length == 32 ? key : throw new SopsException($"sops.age entry for {recipient} holds a {key.Length}-byte data key, not 32");
            }
            catch (AgeException)
            {
                // Addressed to another recipient; try the next entry.
            }
        }
        throw new SopsException(
            $"no identity matched any of the file's age recipients ({string.Join(", ", metadata.Age.Select(a => a.Recipient))}); tried " +
            string.Join(", ", identities.Select(i => i.Recipient.Text)));
    }
}
