using System.Text.Json.Nodes;
using Conductor.Compiler.Yaml;
using Conductor.Resources.Platform;

namespace Conductor.Compiler.Bootstrap.Manifests;

/// <summary>
/// <c>bootstrap-sequence.yaml</c>: a ConfigMap (so <c>kubectl apply -f dir/</c> accepts it) whose
/// <c>sequence.yaml</c> lists the apply order (compiler notes §1.5.6): the Secrets, then the TalosCluster.
/// </summary>
internal static class SequenceManifest
{
    public const string DataKey = "sequence.yaml";

    public static string Build(ClusterPlan plan, IReadOnlyList<string> stepOneFiles, string clusterFile)
    {
        var import = plan.Mode == ClusterMode.Import;
        var sequence = new JsonObject
        {
            ["apiVersion"] = "ontai.dev/v1alpha1",
            ["kind"] = "BootstrapSequence",
            ["clusterName"] = plan.Name,
            ["steps"] = new JsonArray(
                Step(1, import
                    ? "Apply the tenant namespace, the machine-config Secrets and the talosconfig Secret before the TalosCluster: " +
                      "the platform operator reads the talosconfig Secret to reach the imported cluster."
                    : "Apply the machine-config Secrets and the talosconfig Secret before the TalosCluster CR.",
                    stepOneFiles),
                Step(2, import
                    ? "Apply the TalosCluster CR (mode=import) after every step 1 resource exists."
                    : $"Apply the TalosCluster CR (mode=bootstrap, capi.enabled={(plan.Input.Capi?.Enabled == true ? "true" : "false")}).",
                    [clusterFile])),
        };
        return YamlEmitter.Emit(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["data"] = new JsonObject { [DataKey] = YamlEmitter.Emit(sequence) },
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["labels"] = Labels.Of((Labels.Cluster, plan.Name), (Labels.ManagedBy, BootstrapNames.ManagedBy)),
                ["name"] = BootstrapNames.SequenceConfigMap(plan.Name),
                ["namespace"] = BootstrapNames.SeamSystem,
            },
        });
    }

    private static JsonObject Step(int number, string description, IReadOnlyList<string> resources) => new()
    {
        ["step"] = number,
        ["description"] = description,
        ["resources"] = new JsonArray([.. resources.Select(r => JsonValue.Create(r))]),
    };
}
