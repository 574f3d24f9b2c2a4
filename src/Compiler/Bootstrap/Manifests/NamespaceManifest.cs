using System.Text.Json.Nodes;
using Conductor.Compiler.Yaml;

namespace Conductor.Compiler.Bootstrap.Manifests;

/// <summary>The <c>seam-tenant-{cluster}</c> Namespace the cluster's Secrets live in (compiler notes §1.5.4).</summary>
internal static class NamespaceManifest
{
    public static string Build(string cluster) => YamlEmitter.Emit(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["labels"] = Labels.Of((Labels.Cluster, cluster), (Labels.Tenant, "true")),
            ["name"] = BootstrapNames.TenantNamespace(cluster),
        },
    });
}
