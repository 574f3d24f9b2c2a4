using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Resources.Seam;
using Conductor.Runner.Capabilities;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// Turns a step's string parameters (the RunnerConfig schema keeps them as strings) into the typed JSON object the
/// executor reads from STEP_PARAMETERS, following the capability's parameter schema: integers and booleans become
/// JSON numbers and booleans, a string list is a JSON array or comma-separated text. A value that does not convert stays
/// a string, so the schema check names it rather than this code guessing.
/// </summary>
public static class StepParameters
{
    public static JsonObject ToJson(RunnerStep step)
    {
        var schema = CapabilityCatalog.Find(step.Capability)?.Parameters ?? ParameterSchema.Empty;
        var json = new JsonObject();
        foreach (var (name, text) in (step.Parameters ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var type = schema.Parameters.FirstOrDefault(p => p.Name == name)?.Type ?? ParameterType.String;
            json[name] = Convert(type, text);
        }
        return json;
    }

    private static JsonNode? Convert(ParameterType type, string text) => type switch
    {
        ParameterType.Int when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        ParameterType.Bool when bool.TryParse(text, out var flag) => JsonValue.Create(flag),
        ParameterType.StringList => List(text),
        ParameterType.Object => Parse(text) as JsonObject ?? (JsonNode)JsonValue.Create(text),
        _ => JsonValue.Create(text),
    };

    private static JsonNode List(string text)
    {
        if (text.TrimStart().StartsWith('[') && Parse(text) is JsonArray array)
        {
            return array;
        }
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new JsonArray([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
