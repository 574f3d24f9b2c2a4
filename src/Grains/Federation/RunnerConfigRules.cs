using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Federation;
using Conductor.Runner.Capabilities;

namespace Conductor.Grains.Federation;

/// <summary>
/// Checks a RunnerConfig spec against the capability catalog and each capability's parameter schema, and returns
/// every problem at once. Step parameters are strings in the RunnerConfig model; for a parameter the schema types
/// as integer, boolean or list, the string is read as JSON ("3", "true", "[\"a\"]") before the schema check.
/// </summary>
public static class RunnerConfigRules
{
    public const string MalformedSpec = "MalformedSpec";
    public const string MissingStepName = "MissingStepName";
    public const string DuplicateStepName = "DuplicateStepName";
    public const string UnknownCapability = "UnknownCapability";
    public const string CompileOnlyCapability = "CompileOnlyCapability";
    public const string CapabilityUnavailable = "CapabilityUnavailable";
    public const string InvalidParameters = "InvalidParameters";
    public const string UnknownDependency = "UnknownDependency";

    public static IReadOnlyList<ValidationFinding> Check(string specJson)
    {
        JsonObject spec;
        try
        {
            spec = JsonNode.Parse(specJson) as JsonObject
                ?? throw new JsonException("the spec is not a JSON object");
        }
        catch (JsonException e)
        {
            return [new("spec", MalformedSpec, $"The RunnerConfig spec is not a JSON object ({e.Message}); send the spec as JSON")];
        }

        var findings = new List<ValidationFinding>();
        var steps = (spec["steps"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var names = steps.Select(s => s["name"]?.GetValueKind() == JsonValueKind.String ? s["name"]!.GetValue<string>() : "").ToList();
        for (var i = 0; i < steps.Count; i++)
        {
            CheckStep(findings, $"spec.steps[{i}]", steps[i], names[i], names.Take(i));
        }

        for (var i = 0; i < steps.Count; i++)
        {
            foreach (var dependency in (steps[i]["dependsOn"] as JsonArray)?.Select(d => d?.ToString() ?? "") ?? [])
            {
                if (!names.Contains(dependency, StringComparer.Ordinal) || dependency == names[i])
                {
                    findings.Add(new($"spec.steps[{i}].dependsOn", UnknownDependency,
                        $"Step '{names[i]}' depends on '{dependency}', which is not another step of this RunnerConfig; name an existing step"));
                }
            }
        }

        return findings;
    }

    private static void CheckStep(List<ValidationFinding> findings, string path, JsonObject step, string name, IEnumerable<string> earlier)
    {
        if (name.Length == 0)
        {
            findings.Add(new($"{path}.name", MissingStepName, "Every step needs a non-empty name; it names the step's Job"));
        }
        else if (earlier.Contains(name, StringComparer.Ordinal))
        {
            findings.Add(new($"{path}.name", DuplicateStepName, $"Step name '{name}' is used twice; step names must be unique"));
        }

        var capabilityName = step["capability"]?.ToString() ?? "";
        var capability = CapabilityCatalog.Find(capabilityName);
        if (capability is null)
        {
            findings.Add(new($"{path}.capability", UnknownCapability,
                $"Capability '{capabilityName}' is not in the catalog; use one of {string.Join(", ", CapabilityCatalog.ExecutableNames)}"));
            return;
        }

        if (!capability.IsExecutable)
        {
            findings.Add(new($"{path}.capability", CompileOnlyCapability,
                $"Capability '{capabilityName}' runs in the compiler only and can never be a step; run it with the compiler"));
            return;
        }

        if (!capability.Available)
        {
            findings.Add(new($"{path}.capability", CapabilityUnavailable,
                $"Capability '{capabilityName}' has no working handler in this release of conductor-execute; remove the step or upgrade"));
        }

        foreach (var problem in capability.Parameters.Validate(Typed(step["parameters"] as JsonObject, capability.Parameters)))
        {
            findings.Add(new($"{path}.parameters", InvalidParameters, $"Step '{name}' ({capabilityName}): {problem}"));
        }
    }

    private static JsonObject? Typed(JsonObject? parameters, ParameterSchema schema)
    {
        if (parameters is null)
        {
            return null;
        }

        var typed = new JsonObject();
        foreach (var (key, value) in parameters)
        {
            var type = schema.Parameters.FirstOrDefault(p => p.Name == key)?.Type;
            typed[key] = type is null or ParameterType.String || value?.GetValueKind() != JsonValueKind.String
                ? value?.DeepClone()
                : TryParse(value.GetValue<string>()) ?? value.DeepClone();
        }

        return typed;
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null; // left a string, which the schema then names as the wrong type
        }
    }
}
