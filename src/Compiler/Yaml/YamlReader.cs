using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Yaml;

/// <summary>The reason a YAML text could not be read, with the line and column where YAML points.</summary>
internal sealed class YamlReadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads the first document of a YAML text into a JSON tree, the way sigs.k8s.io/yaml does (compiler notes §0.4):
/// plain scalars resolve to null, bool, integer or float by the YAML 1.2 core schema; quoted scalars stay strings.
/// </summary>
internal static partial class YamlReader
{
    public static JsonNode? ReadFirstDocument(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new YamlReadException($"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", e);
        }
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ConvertMapping(map),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Convert)]),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new YamlReadException($"unsupported YAML node at line {node.Start.Line}"),
    };

    private static JsonObject ConvertMapping(YamlMappingNode map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new YamlReadException($"line {key.Start.Line}: mapping keys must be scalars");
            }
            if (result.ContainsKey(name))
            {
                throw new YamlReadException($"line {key.Start.Line}: key '{name}' appears twice in the same mapping");
            }
            result[name] = Convert(value);
        }
        return result;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag == "tag:yaml.org,2002:str" || (scalar.Style != ScalarStyle.Plain && scalar.Style != ScalarStyle.Any))
        {
            return JsonValue.Create(value);
        }
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }
        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }
        if (Integer().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (Float().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }
        return JsonValue.Create(value);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
