using System.Text.Json.Nodes;

namespace Conductor.Compiler.Bootstrap.Manifests;

/// <summary>The <c>ontai.dev/*</c> labels bootstrap puts on what it writes (compiler notes §1.5).</summary>
internal static class Labels
{
    public const string Cluster = "ontai.dev/cluster";
    public const string Node = "ontai.dev/node";
    public const string NodeRole = "ontai.dev/node-role";
    public const string ManagedBy = "ontai.dev/managed-by";
    public const string Tenant = "ontai.dev/tenant";
    public const string OwnsRunnerConfig = "ontai.dev/owns-runnerconfig";

    public static JsonObject Of(params (string Key, string Value)[] labels)
    {
        var result = new JsonObject();
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }
        return result;
    }
}
