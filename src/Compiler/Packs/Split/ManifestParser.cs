using Conductor.Compiler.Packs.Input;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Packs.Split;

/// <summary>
/// Reads the manifests of one YAML stream (compiler.md §4.5). Each document is one manifest, kept as its own text;
/// blank and comment-only documents are skipped, and documents annotated <c>helm.sh/hook</c> are dropped. A document
/// that is not a Kubernetes object (a mapping with apiVersion, kind and metadata.name) is an error naming the file,
/// the line and the field.
/// </summary>
public static class ManifestParser
{
    public static IReadOnlyList<Manifest> Parse(string text, string file)
    {
        // One line-ending convention, so layer bytes (and so digests) do not depend on how the files were checked out.
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new PackBuildException(new PackBuildProblem(file, (int)ex.Start.Line, (int)ex.Start.Column, "",
                $"malformed YAML in a manifest: {PackBuildInputReader.Reason(ex)}"), ex);
        }

        var manifests = new List<Manifest>();
        var problems = new List<PackBuildProblem>();
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (root is YamlScalarNode { Value: null or "" })
            {
                continue;
            }
            if (root is not YamlMappingNode mapping)
            {
                problems.Add(At(file, root, "", "a manifest must be a mapping (a Kubernetes object): remove or fix this document"));
                continue;
            }

            var apiVersion = Scalar(mapping, "apiVersion");
            var kind = Scalar(mapping, "kind");
            var metadata = mapping.Children.TryGetValue(new YamlScalarNode("metadata"), out var node) ? node as YamlMappingNode : null;
            var name = metadata is null ? null : Scalar(metadata, "name");
            var missing = new[] { ("apiVersion", apiVersion), ("kind", kind), ("metadata.name", name) }
                .Where(f => string.IsNullOrEmpty(f.Item2)).Select(f => f.Item1).ToList();
            if (missing.Count > 0)
            {
                problems.AddRange(missing.Select(field => At(file, root, field,
                    $"{field} is required (rule: every manifest is a Kubernetes object with apiVersion, kind and metadata.name): add it")));
                continue;
            }
            if (IsHelmHook(metadata!))
            {
                continue;
            }

            var manifestText = text[(int)root.Start.Index..(int)Math.Min(root.End.Index, text.Length)].Trim();
            manifests.Add(new Manifest(kind!, name!, Scalar(metadata!, "namespace"), manifestText));
        }

        return problems.Count > 0 ? throw new PackBuildException(problems) : manifests;
    }

    private static bool IsHelmHook(YamlMappingNode metadata) =>
        metadata.Children.TryGetValue(new YamlScalarNode("annotations"), out var annotations)
        && annotations is YamlMappingNode map
        && map.Children.ContainsKey(new YamlScalarNode(ManifestKinds.HelmHookAnnotation));

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static PackBuildProblem At(string file, YamlNode node, string field, string message) =>
        new(file, (int)node.Start.Line, (int)node.Start.Column, field, message);
}
