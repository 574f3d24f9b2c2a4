using System.Globalization;
using System.Text.Json.Nodes;
using Conductor.Executor.Runs;
using Conductor.Runner.Results;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Executor.TargetCluster;

/// <summary>
/// Reads a multi-document YAML layer into JSON objects. Plain scalars are typed by the YAML 1.2 core schema (null,
/// booleans, integers, floats) as the API server reads them; quoted and block scalars stay strings. Empty documents are
/// skipped; a document without apiVersion, kind or metadata.name is refused, naming the layer and its position.
/// </summary>
public static class YamlManifests
{
    public static IReadOnlyList<ManifestObject> Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new CapabilityFailureException(FailureCategory.ValidationFailure, $"{source} is not valid YAML: {e.Message}", e);
        }
        var objects = new List<ManifestObject>();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            var root = stream.Documents[i].RootNode;
            if (root is YamlScalarNode { Value: null or "" })
            {
                continue;
            }
            if (Convert(root) is not JsonObject body || ManifestObject.From(body) is not { } manifest)
            {
                throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                    $"{source} document {i + 1} is not a Kubernetes object: apiVersion, kind and metadata.name are required");
            }
            objects.Add(manifest);
        }
        return objects;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (value.Any(char.IsAsciiDigit) && !value.Contains('_', StringComparison.Ordinal)
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }
        return JsonValue.Create(value);
    }
}
