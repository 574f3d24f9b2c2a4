using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Encryption.Sops;

/// <summary>A scalar leaf of the document with its key path, in the order sops walks the tree.</summary>
internal sealed record SopsLeaf(YamlScalarNode Node, IReadOnlyList<string> Path)
{
    /// <summary>The AES-GCM additional data: the key path joined with ':' plus a trailing ':' (sequence indexes are not part of it).</summary>
    public string AdditionalData => string.Join(':', Path) + ":";

    public string Where => Path.Count == 0 ? "(document root)" : string.Join('.', Path);
}

/// <summary>Walks a YAML document the way sops walks its tree: mappings in document order, sequences item by item.</summary>
internal static class SopsTree
{
    public const string MetadataKey = "sops";

    public static List<SopsLeaf> Leaves(YamlMappingNode root)
    {
        var leaves = new List<SopsLeaf>();
        foreach (var (key, value) in root.Children)
        {
            var name = KeyName(key, []);
            if (name == MetadataKey)
            {
                continue;
            }
            Walk(value, [name], leaves);
        }
        return leaves;
    }

    private static void Walk(YamlNode node, List<string> path, List<SopsLeaf> leaves)
    {
        if (!string.IsNullOrEmpty(node.Anchor.IsEmpty ? null : node.Anchor.Value))
        {
            throw new SopsException($"{string.Join('.', path)}: YAML anchors and aliases are not supported; write the value out");
        }
        switch (node)
        {
            case YamlScalarNode scalar:
                leaves.Add(new SopsLeaf(scalar, path.ToArray()));
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    Walk(value, [.. path, KeyName(key, path)], leaves);
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    Walk(item, path, leaves);
                }
                break;
            default:
                throw new SopsException($"{string.Join('.', path)}: unsupported YAML node {node.NodeType}");
        }
    }

    private static string KeyName(YamlNode key, List<string> path) =>
        key is YamlScalarNode { Value: { } name }
            ? name
            : throw new SopsException($"{string.Join('.', path)}: only string keys are supported (sops requires them)");
}
