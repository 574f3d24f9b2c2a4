using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace Conductor.Compiler.Rendering;

/// <summary>
/// One YAML file of compiler output: <c>#</c> header lines, then each object as its own <c>---</c> document.
/// Objects are either KubernetesClient or Conductor models (serialised with <see cref="KubernetesJson"/>, so field
/// names and enum values are the API's) or hand-built <see cref="JsonObject"/>s for kinds no model covers.
/// </summary>
public sealed record Manifest(string Name, IReadOnlyList<string> Header, IReadOnlyList<JsonNode> Documents)
{
    public static JsonNode Node(object resource) => resource switch
    {
        JsonNode node => node.DeepClone(),
        _ => JsonNode.Parse(KubernetesJson.Serialize(resource))
             ?? throw new InvalidOperationException($"{resource.GetType().Name} serialised to null."),
    };

    public static Manifest Of(string name, IReadOnlyList<string> header, params IEnumerable<object> resources) =>
        new(name, header, [.. resources.Select(Node)]);

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var line in Header)
        {
            text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }
        foreach (var document in Documents)
        {
            text.Append("---\n").Append(YamlWriter.Write(document));
        }
        return text.ToString();
    }
}
