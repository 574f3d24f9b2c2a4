using k8s.Models;

namespace Conductor.Compiler.Crds;

/// <summary>
/// The schema of a <see cref="V1Condition"/>, with the validation that metav1.Condition carries upstream, so
/// every Seam kind's conditions look and validate like those of built-in kinds.
/// </summary>
internal static class ConditionSchema
{
    public static V1JSONSchemaProps Create() => new()
    {
        Type = "object",
        Properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
        {
            ["type"] = new() { Type = "string", MinLength = 1, MaxLength = 316 },
            ["status"] = new() { Type = "string", EnumProperty = ["True", "False", "Unknown"] },
            ["observedGeneration"] = new() { Type = "integer", Format = "int64", Minimum = 0 },
            ["lastTransitionTime"] = new() { Type = "string", Format = "date-time" },
            ["reason"] = new()
            {
                Type = "string", MinLength = 1, MaxLength = 1024,
                Pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
            },
            ["message"] = new() { Type = "string", MaxLength = 32768 },
        },
        Required = ["type", "status", "lastTransitionTime", "reason", "message"],
    };
}
