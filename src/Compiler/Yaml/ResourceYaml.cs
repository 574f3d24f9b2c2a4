using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conductor.Compiler.Yaml;

/// <summary>A resource model (its JSON attributes decide names and enum values) as YAML; null fields are left out.</summary>
internal static class ResourceYaml
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string Emit<T>(T resource) => YamlEmitter.Emit(JsonSerializer.SerializeToNode(resource, Json));
}
