using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conductor.Runner.Capabilities;

/// <summary>
/// The parameters one capability accepts. The same model renders the JSON Schema the agent publishes and checks a
/// step's parameters, so the published schema and the executor's check cannot drift apart.
/// </summary>
public sealed record ParameterSchema(IReadOnlyList<ParameterDefinition> Parameters)
{
    public static ParameterSchema Empty { get; } = new([]);

    /// <summary>
    /// Renders the schema as a JSON Schema object: <c>type: object</c>, one property per parameter,
    /// <c>required</c> when any parameter is, and <c>additionalProperties: false</c> because an unknown parameter
    /// is a typo the step author must hear about.
    /// </summary>
    public JsonObject ToJsonSchema()
    {
        var properties = new JsonObject();
        foreach (var parameter in Parameters)
        {
            properties[parameter.Name] = PropertySchema(parameter);
        }
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
        };
        var required = Parameters.Where(p => p.Required).Select(p => (JsonNode?)JsonValue.Create(p.Name)).ToArray();
        if (required.Length > 0)
        {
            schema["required"] = new JsonArray(required);
        }
        schema["additionalProperties"] = false;
        return schema;
    }

    /// <summary>
    /// Checks a step's parameters (null means none were given) and returns every violation, each naming the
    /// parameter and the rule; an empty list means the parameters are valid.
    /// </summary>
    public IReadOnlyList<string> Validate(JsonObject? parameters)
    {
        var errors = new List<string>();
        var given = parameters ?? [];
        foreach (var (name, _) in given)
        {
            if (!Parameters.Any(p => p.Name == name))
            {
                errors.Add($"parameter '{name}' is not accepted; accepted parameters: {AcceptedNames()}");
            }
        }
        foreach (var parameter in Parameters)
        {
            if (!given.TryGetPropertyValue(parameter.Name, out var value) || value is null)
            {
                if (parameter.Required)
                {
                    errors.Add($"parameter '{parameter.Name}' is required ({TypeName(parameter.Type)}): {parameter.Description}");
                }
                continue;
            }
            var problem = CheckValue(parameter, value);
            if (problem is not null)
            {
                errors.Add($"parameter '{parameter.Name}' {problem}");
            }
        }
        return errors;
    }

    private string AcceptedNames() =>
        Parameters.Count == 0 ? "none" : string.Join(", ", Parameters.Select(p => p.Name));

    private static string? CheckValue(ParameterDefinition parameter, JsonNode value) => parameter.Type switch
    {
        ParameterType.String => CheckString(parameter, value),
        ParameterType.Int => value.GetValueKind() == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out _)
            ? null : $"must be an integer, got {Describe(value)}",
        ParameterType.Bool => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? null : $"must be true or false, got {Describe(value)}",
        ParameterType.StringList => value is JsonArray array && array.All(i => i?.GetValueKind() == JsonValueKind.String)
            ? null : $"must be a list of strings, got {Describe(value)}",
        ParameterType.Object => value is JsonObject ? null : $"must be an object, got {Describe(value)}",
        _ => $"has an unsupported type {parameter.Type}",
    };

    private static string? CheckString(ParameterDefinition parameter, JsonNode value)
    {
        if (value.GetValueKind() != JsonValueKind.String)
        {
            return $"must be a string, got {Describe(value)}";
        }
        var text = value.GetValue<string>();
        if (parameter.Required && text.Length == 0)
        {
            return "is required and must not be empty";
        }
        if (parameter.Enum is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
        {
            return $"must be one of {string.Join(", ", allowed)}, got '{text}'";
        }
        return null;
    }

    private static string Describe(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => $"the string {value.ToJsonString()}",
        JsonValueKind.Number => $"the number {value.ToJsonString()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.ToJsonString()}",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => value.ToJsonString(),
    };

    private static string TypeName(ParameterType type) => type switch
    {
        ParameterType.String => "string",
        ParameterType.Int => "integer",
        ParameterType.Bool => "boolean",
        ParameterType.StringList => "list of strings",
        _ => "object",
    };

    private static JsonObject PropertySchema(ParameterDefinition parameter)
    {
        var property = parameter.Type switch
        {
            ParameterType.String => new JsonObject { ["type"] = "string" },
            ParameterType.Int => new JsonObject { ["type"] = "integer" },
            ParameterType.Bool => new JsonObject { ["type"] = "boolean" },
            ParameterType.StringList => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            _ => new JsonObject { ["type"] = "object" },
        };
        property["description"] = parameter.Description;
        if (parameter.Enum is { } allowed)
        {
            property["enum"] = new JsonArray(allowed.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }
        return property;
    }
}
