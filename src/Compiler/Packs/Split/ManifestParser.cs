using System.Text.RegularExpressions;
using Conductor.Compiler.Packs.Input;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Packs.Split;

/// <summary>
/// Reads the manifests of one YAML stream (compiler.md §4.5). Each document is one manifest, kept as its own trimmed
/// text (comments and formatting as written); blank and comment-only documents are skipped, and documents annotated
/// <c>helm.sh/hook</c> are dropped. A document that is not a Kubernetes object (a mapping with apiVersion, kind and
/// metadata.name) is an error naming the file, the line and the field.
/// </summary>
public static partial class ManifestParser
{
    public static IReadOnlyList<Manifest> Parse(string text, string file)
    {
        var manifests = new List<Manifest>();
        var problems = new List<PackBuildProblem>();
        foreach (var (chunk, firstLine) in Documents(text))
        {
            var trimmed = chunk.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }
            var offset = firstLine - 1;
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(chunk));
            }
            catch (YamlException ex)
            {
                problems.Add(new PackBuildProblem(file, (int)ex.Start.Line + offset, (int)ex.Start.Column, "",
                    $"malformed YAML in a manifest: {PackBuildInputReader.Reason(ex)}"));
                continue;
            }
            var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            if (root is null or YamlScalarNode { Value: null or "" })
            {
                continue;
            }
            if (root is not YamlMappingNode mapping)
            {
                problems.Add(At(file, root, offset, "", "a manifest must be a mapping (a Kubernetes object): remove or fix this document"));
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
                problems.AddRange(missing.Select(field => At(file, root, offset, field,
                    $"{field} is required (rule: every manifest is a Kubernetes object with apiVersion, kind and metadata.name): add it")));
                continue;
            }
            if (IsHelmHook(metadata!))
            {
                continue;
            }
            manifests.Add(new Manifest(kind!, name!, Scalar(metadata!, "namespace"), trimmed));
        }

        return problems.Count > 0 ? throw new PackBuildException(problems) : manifests;
    }

    // Splits on document markers: a line that is "---" (optionally followed by a space and more) or "...". A marker
    // at column 0 always ends the document, even inside a block scalar, so this is exact. Line endings become LF, so
    // layer bytes (and so digests) do not depend on how the files were checked out.
    private static IEnumerable<(string Text, int FirstLine)> Documents(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var current = new List<string>();
        var firstLine = 1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (Marker().Match(line) is { Success: true } marker)
            {
                yield return (string.Join('\n', current), firstLine);
                current.Clear();
                firstLine = i + 1;
                // Content after "--- " on the marker line (a comment, a tag) stays with its document, at its column.
                current.Add(marker.Groups["rest"].Success ? new string(' ', 4) + marker.Groups["rest"].Value : "");
                continue;
            }
            current.Add(line);
        }
        yield return (string.Join('\n', current), firstLine);
    }

    private static bool IsHelmHook(YamlMappingNode metadata) =>
        metadata.Children.TryGetValue(new YamlScalarNode("annotations"), out var annotations)
        && annotations is YamlMappingNode map
        && map.Children.ContainsKey(new YamlScalarNode(ManifestKinds.HelmHookAnnotation));

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static PackBuildProblem At(string file, YamlNode node, int lineOffset, string field, string message) =>
        new(file, (int)node.Start.Line + lineOffset, (int)node.Start.Column, field, message);

    [GeneratedRegex(@"^(---|\.\.\.)([ \t]+(?<rest>.*))?[ \t]*$")]
    private static partial Regex Marker();
}
