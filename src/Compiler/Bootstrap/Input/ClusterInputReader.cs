using System.Text.Json;
using Conductor.Compiler.Yaml;

namespace Conductor.Compiler.Bootstrap.Input;

/// <summary>A cluster declaration that could not be read at all; validation never started.</summary>
internal sealed class ClusterInputException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads a ClusterInput file: first YAML document only, field names matched case-insensitively, unknown keys
/// ignored, and a value of the wrong type (an unquoted <c>kubernetesVersion: 1.30</c>) is an error naming the field.
/// </summary>
internal static class ClusterInputReader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = false,
    };

    public static ClusterInput Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClusterInputException($"{path}: cannot read the input file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static ClusterInput Parse(string yaml, string source)
    {
        System.Text.Json.Nodes.JsonNode? tree;
        try
        {
            tree = YamlReader.ReadFirstDocument(yaml);
        }
        catch (YamlReadException e)
        {
            throw new ClusterInputException($"{source}: {e.Message}", e);
        }
        if (tree is not System.Text.Json.Nodes.JsonObject)
        {
            throw new ClusterInputException($"{source}: the input must be a YAML mapping with at least 'name', 'mode' and 'bootstrap'");
        }
        try
        {
            return tree.Deserialize<ClusterInput>(Json) ?? throw new ClusterInputException($"{source}: the input is empty");
        }
        catch (JsonException e)
        {
            var field = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            throw new ClusterInputException(
                $"{source}: {(field.Length == 0 ? "input" : field)}: the value has the wrong type ({FirstSentence(e.Message)}); " +
                "quote versions such as \"1.30\" so they stay strings", e);
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
