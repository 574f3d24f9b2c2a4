using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Encryption.Sops;

/// <summary>The <c>sops:</c> block, with the field names and order of sops' YAML store.</summary>
internal sealed record SopsMetadata(
    IReadOnlyList<(string Recipient, string Enc)> Age, string LastModified, string Mac, string? EncryptedRegex)
{
    public static YamlMappingNode ToYaml(
        IReadOnlyList<(string Recipient, string Enc)> age, string lastModified, string mac, string encryptedRegex)
    {
        var keys = new YamlSequenceNode(age.Select(a => new YamlMappingNode(
            new YamlScalarNode("recipient"), new YamlScalarNode(a.Recipient),
            new YamlScalarNode("enc"), new YamlScalarNode(a.Enc) { Style = ScalarStyle.Literal })));
        return new YamlMappingNode(
            new YamlScalarNode("age"), keys,
            new YamlScalarNode("lastmodified"), new YamlScalarNode(lastModified) { Style = ScalarStyle.DoubleQuoted },
            new YamlScalarNode("mac"), new YamlScalarNode(mac),
            new YamlScalarNode("encrypted_regex"), new YamlScalarNode(encryptedRegex),
            new YamlScalarNode("version"), new YamlScalarNode(SopsEncryptor.FormatVersion));
    }

    public static SopsMetadata FromYaml(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(SopsTree.MetadataKey), out var node) || node is not YamlMappingNode sops)
        {
            throw new SopsException("the document has no 'sops' metadata block; it is not SOPS-encrypted");
        }
        var age = new List<(string, string)>();
        if (Field(sops, "age") is YamlSequenceNode ageKeys)
        {
            foreach (var entry in ageKeys.Children.OfType<YamlMappingNode>())
            {
                age.Add((Text(entry, "recipient"), Text(entry, "enc")));
            }
        }
        foreach (var rule in new[] { "unencrypted_suffix", "encrypted_suffix", "unencrypted_regex", "encrypted_comment_regex", "unencrypted_comment_regex", "key_groups", "shamir_threshold" })
        {
            if (Field(sops, rule) is not null)
            {
                throw new SopsException($"sops.{rule} is not supported; this decryptor handles encrypted_regex files with age keys only");
            }
        }
        if (Field(sops, "mac_only_encrypted") is YamlScalarNode { Value: "true" })
        {
            throw new SopsException("sops.mac_only_encrypted is not supported");
        }
        return new SopsMetadata(age, Text(sops, "lastmodified"), Text(sops, "mac"), (Field(sops, "encrypted_regex") as YamlScalarNode)?.Value);
    }

    private static YamlNode? Field(YamlMappingNode mapping, string name) =>
        mapping.Children.TryGetValue(new YamlScalarNode(name), out var value) ? value : null;

    private static string Text(YamlMappingNode mapping, string name) =>
        Field(mapping, name) is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw new SopsException($"sops metadata: the '{name}' field is missing or empty");
}
