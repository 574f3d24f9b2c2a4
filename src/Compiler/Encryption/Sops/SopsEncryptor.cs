using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Conductor.Compiler.Encryption.Age;
using Conductor.Randomness;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Encryption.Sops;

/// <summary>
/// Encrypts a YAML document in the SOPS file format (getsops/sops 3.x) for age X25519 recipients: each selected value
/// becomes an AES-256-GCM <c>ENC[…]</c> value under one 32-byte data key; the data key is age-encrypted (armored) for
/// every recipient; a SHA-512 MAC over all values is encrypted with <c>lastmodified</c> as additional data.
/// </summary>
/// <remarks>
/// Deviations from the sops binary, all refusals rather than different output: multi-document YAML, anchors/aliases,
/// explicit tags other than <c>!!str</c>, and plain scalars whose go-yaml type is uncertain (octal, binary, .inf) are
/// refused with an error; comments are dropped (sops would encrypt those inside encrypted sections).
/// </remarks>
public static class SopsEncryptor
{
    /// <summary>sops' <c>encrypted_regex</c> for a Kubernetes Secret: only values under <c>data</c> and <c>stringData</c>.</summary>
    public const string KubernetesSecretRegex = "^(data|stringData)$";

    /// <summary>The sops format version written in the metadata block.</summary>
    public const string FormatVersion = "3.9.4";

    private const int DataKeySize = 32;

    /// <summary>Encrypts the values under <c>data</c> and <c>stringData</c> of a Kubernetes Secret.</summary>
    public static string EncryptSecretYaml(
        string yaml, IReadOnlyList<AgeRecipient> recipients, TimeProvider time, IRandomSource? random = null) =>
        EncryptYaml(yaml, recipients, KubernetesSecretRegex, time, random);

    /// <summary>Encrypts every value whose key path has a key matching <paramref name="encryptedRegex"/>.</summary>
    public static string EncryptYaml(
        string yaml, IReadOnlyList<AgeRecipient> recipients, string encryptedRegex, TimeProvider time, IRandomSource? random = null)
    {
        if (recipients.Count == 0)
        {
            throw new SopsException("SOPS encryption needs at least one age recipient (--age-recipient or SOPS_AGE_RECIPIENTS)");
        }
        random ??= SystemRandomSource.Instance;
        var root = SopsDocument.Load(yaml);
        if (root.Children.ContainsKey(new YamlScalarNode(SopsTree.MetadataKey)))
        {
            throw new SopsException("the document already has a top-level 'sops' key; it is encrypted already");
        }
        var selector = new Regex(encryptedRegex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        var dataKey = new byte[DataKeySize];
        random.Fill(dataKey);
        var wrapped = recipients
            .Select(r => (Recipient: r.Text, Enc: AgeEncryptor.EncryptArmored(dataKey, [r], random)))
            .ToList();

        using var mac = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        foreach (var leaf in SopsTree.Leaves(root))
        {
            if (SopsValue.FromScalar(leaf.Node, leaf.Where) is not { } value)
            {
                continue;
            }
            mac.AppendData(Encoding.UTF8.GetBytes(value.Text));
            // sops leaves empty strings as they are (there is nothing to hide), but they still count in the MAC.
            if (value.Text.Length > 0 && leaf.Path.Any(selector.IsMatch))
            {
                leaf.Node.Value = SopsValueCipher.Encrypt(value, dataKey, leaf.AdditionalData, random);
                leaf.Node.Style = ScalarStyle.Plain;
            }
        }

        var lastModified = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var macHex = Convert.ToHexString(mac.GetHashAndReset());
        var encryptedMac = SopsValueCipher.Encrypt(new SopsValue(SopsValue.Str, macHex), dataKey, lastModified, random);
        root.Add(SopsTree.MetadataKey, SopsMetadata.ToYaml(wrapped, lastModified, encryptedMac, encryptedRegex));
        return SopsDocument.Save(root);
    }
}
