using System.Text.Json.Nodes;
using Conductor.Compiler.OperatorBundle.Upstream;
using Conductor.Compiler.OperatorBundle.Workloads;
using Conductor.Compiler.Rendering;
using Conductor.Resources;
using k8s.Models;

namespace Conductor.Compiler.OperatorBundle.Phases;

/// <summary>
/// Phase 00: the namespaces, then what guardian and the agents stand on. Management: cert-manager, the CNPG operator
/// and Kueue (pinned upstream manifests) and the CNPG Cluster for guardian's database. Tenant: the Seam CRDs the
/// tenant agent reads and writes.
/// </summary>
public static class InfrastructureDependencies
{
    public const string Directory = "00-infrastructure-dependencies";
    public const string DatabaseCluster = "guardian-db";

    public static Phase Build(EnableSettings settings) => settings.Role == AgentRole.Management
        ? new Phase(Directory, "infrastructure-dependencies", "0",
            "cert-manager, CNPG v1.25 (CRD clusters.postgresql.cnpg.io, operator in cnpg-system) and Kueue Deployments are " +
            "Available; the CNPG Cluster seam-system/guardian-db reports Ready and its Secret guardian-db-app exists; a default " +
            "StorageClass exists. Only then apply 01-guardian-bootstrap.",
            [
                Manifest.Of("namespaces.yaml", Phase.Header(Directory, "The Seam namespaces, under the restricted pod security standard."),
                    ManagementNamespaces(settings)),
                UpstreamManifests.File(Directory, "infrastructure-dependencies",
                    [.. settings.UpstreamManifests.Where(m => UpstreamPins.InfrastructureDependencies.Any(p => p.Url == m.Url))]),
                Manifest.Of("guardian-database.yaml",
                    Phase.Header(Directory, "The CloudNativePG Cluster holding guardian's database; CNPG writes its credentials to guardian-db-app."),
                    GuardianDatabase()),
            ])
        : new Phase(Directory, "infrastructure-dependencies", "0",
            "The Seam CRDs report Established and ont-system exists. Only then apply 04-conductor.",
            [
                Manifest.Of("namespaces.yaml", Phase.Header(Directory, "The agent namespace, under the restricted pod security standard."),
                    Namespaces.Restricted(Labels.OntSystem, Namespaces.Governed)),
                SeamCrds.File("seam-crds.yaml", Directory, SeamApi.Group),
                SeamCrds.File("guardian-crds.yaml", Directory, GuardianApi.Group),
            ]);

    private static IEnumerable<object> ManagementNamespaces(EnableSettings settings)
    {
        yield return Namespaces.Restricted(Labels.SeamSystem, Namespaces.Exempt);
        yield return Namespaces.Restricted(Labels.OntSystem, Namespaces.Governed);
        yield return Namespaces.Restricted(Labels.TenantNamespace(settings.ClusterName), Namespaces.Governed,
            new Dictionary<string, string> { [Labels.Cluster] = settings.ClusterName });
    }

    // postgresql.cnpg.io/v1 has no model here: the object is built by hand and checked structurally in tests.
    private static JsonObject GuardianDatabase() => new()
    {
        ["apiVersion"] = "postgresql.cnpg.io/v1",
        ["kind"] = "Cluster",
        ["metadata"] = Manifest.Node(OperatorObjects.Meta(DatabaseCluster, Labels.SeamSystem, Labels.Of("guardian", "database"))),
        ["spec"] = new JsonObject
        {
            ["instances"] = 3,
            ["bootstrap"] = new JsonObject { ["initdb"] = new JsonObject { ["database"] = "guardian", ["owner"] = "guardian" } },
            ["storage"] = new JsonObject { ["size"] = "5Gi" },
            ["resources"] = Manifest.Node(Operator.Sized("100m", "256Mi", "1", "1Gi")),
            ["enableSuperuserAccess"] = false,
        },
    };
}
