using System.Text.Json.Nodes;
using Conductor.Compiler.OperatorBundle.Workloads;
using Conductor.Compiler.Rendering;
using Conductor.Runner;

namespace Conductor.Compiler.OperatorBundle.Phases;

/// <summary>
/// Phase 05 (management): the Kueue scaffold step Jobs and pack deployments are admitted through, and the leader
/// leases of the seam-system operators, pre-created so the first election never races a create.
/// </summary>
public static class PostBootstrap
{
    public const string Directory = "05-post-bootstrap";
    public const string ClusterQueue = "seam-steps";
    public const string StepQueue = JobProtocol.StepQueueName;
    public const string PackDeployQueue = "pack-deploy";
    private const string FlavorName = "default-flavor";
    private const string KueueApi = "kueue.x-k8s.io/v1beta1";

    public static Phase Build(EnableSettings settings) => new(Directory, "post-bootstrap", "5",
        "No further gate: the ClusterQueue seam-steps reports Active once Kueue has admitted its flavor.",
        [
            Manifest.Of("kueue-queues.yaml",
                Phase.Header(Directory, "Kueue scaffold: one flavor, one ClusterQueue, the LocalQueues of the step Jobs and of pack deployment."),
                Queues(settings)),
            Manifest.Of("leaderelection.yaml", Phase.Header(Directory, "Leader-election Leases of the seam-system operators."),
                new[] { Operator.Guardian, Operator.Platform, Operator.Dispatcher, Operator.SeamCore }
                    .Select(op => OperatorObjects.Lease(op.LeaseName, op.Namespace, op.Name))),
        ]);

    // Kueue kinds have no model here and the test server does not serve them: tests check them structurally.
    private static IEnumerable<JsonObject> Queues(EnableSettings settings)
    {
        JsonNode Meta(string name, string? @namespace = null) =>
            Manifest.Node(OperatorObjects.Meta(name, @namespace, Labels.Of("conductor", "queue")));
        JsonObject Quota(string resource, string quota) => new() { ["name"] = resource, ["nominalQuota"] = quota };
        yield return new JsonObject { ["apiVersion"] = KueueApi, ["kind"] = "ResourceFlavor", ["metadata"] = Meta(FlavorName), ["spec"] = new JsonObject() };
        yield return new JsonObject
        {
            ["apiVersion"] = KueueApi,
            ["kind"] = "ClusterQueue",
            ["metadata"] = Meta(ClusterQueue),
            ["spec"] = new JsonObject
            {
                ["namespaceSelector"] = new JsonObject(),
                ["queueingStrategy"] = "StrictFIFO",
                ["resourceGroups"] = new JsonArray(new JsonObject
                {
                    ["coveredResources"] = new JsonArray("cpu", "memory"),
                    ["flavors"] = new JsonArray(new JsonObject
                    {
                        ["name"] = FlavorName,
                        ["resources"] = new JsonArray(Quota("cpu", "4"), Quota("memory", "8Gi")),
                    }),
                }),
            },
        };
        yield return new JsonObject
        {
            ["apiVersion"] = KueueApi, ["kind"] = "LocalQueue", ["metadata"] = Meta(StepQueue, Labels.OntSystem),
            ["spec"] = new JsonObject { ["clusterQueue"] = ClusterQueue },
        };
        yield return new JsonObject
        {
            ["apiVersion"] = KueueApi, ["kind"] = "LocalQueue", ["metadata"] = Meta(PackDeployQueue, Labels.TenantNamespace(settings.ClusterName)),
            ["spec"] = new JsonObject { ["clusterQueue"] = ClusterQueue },
        };
    }
}
