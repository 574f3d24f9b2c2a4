using System.Text.Json.Nodes;
using Conductor.Compiler.Yaml;

namespace Conductor.Compiler.Bootstrap.Manifests;

/// <summary>An Opaque v1 Secret whose values are text (<c>stringData</c>), so SOPS encrypts readable keys.</summary>
internal static class SecretManifest
{
    public static string Build(string name, string ns, JsonObject labels, IReadOnlyList<(string Key, string Value)> data)
    {
        var stringData = new JsonObject();
        foreach (var (key, value) in data)
        {
            stringData[key] = value;
        }
        return YamlEmitter.Emit(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["labels"] = labels, ["name"] = name, ["namespace"] = ns },
            ["stringData"] = stringData,
            ["type"] = "Opaque",
        });
    }
}
