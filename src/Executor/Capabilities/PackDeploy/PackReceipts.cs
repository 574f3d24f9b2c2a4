using System.Text.Json;
using System.Text.Json.Nodes;
using Conductor.Executor.TargetCluster;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Runner;

namespace Conductor.Executor.Capabilities.PackDeploy;

/// <summary>
/// The PackReceipt on the target, in <see cref="JobProtocol.Namespace"/>, named after the PackDelivery: its
/// <c>spec.deployedResources</c> is the inventory of what the last deployment applied (see <see cref="DeployStateAnnotation"/>), which the next
/// version prunes against. Verification status is the tenant agent's to write, never this capability's.
/// </summary>
public sealed class PackReceipts(ServerSideApplier applier)
{
    public const string Namespace = JobProtocol.Namespace;

    /// <summary>
    /// How the deployment the receipt records ended. The spec has no field for it and its status is the tenant
    /// agent's, so it travels as an annotation.
    /// </summary>
    public const string DeployStateAnnotation = "seam.ontai.dev/deploy-state";

    /// <summary>Everything applied, ready, and the previous version's leftovers pruned.</summary>
    public const string Deployed = "Deployed";

    /// <summary>The run failed after applying something; the inventory lists what may exist, for the next run to prune.</summary>
    public const string Incomplete = "Incomplete";

    /// <summary>The receipt's identity for a pack.</summary>
    public static DeployedResource Identity(string pack) =>
        new() { ApiVersion = SeamApi.ApiVersion, Kind = PackReceipt.KindName, Namespace = Namespace, Name = pack };

    /// <summary>The inventory the current receipt lists (empty when there is none).</summary>
    public async Task<IReadOnlyList<DeployedResource>> ReadInventoryAsync(string pack, CancellationToken cancellationToken)
    {
        if (await applier.GetAsync(Identity(pack), cancellationToken) is not { } receipt
            || !receipt.TryGetProperty("spec", out var spec) || !spec.TryGetProperty("deployedResources", out var resources))
        {
            return [];
        }
        return resources.Deserialize<List<DeployedResource>>() ?? [];
    }

    /// <summary>
    /// Applies the receipt listing <paramref name="inventory"/> with its <paramref name="state"/>, creating its
    /// namespace when the target lacks it.
    /// </summary>
    public async Task WriteAsync(string pack, string cluster, PackDeliverySpec delivery, IReadOnlyList<DeployedResource> inventory, string state,
        CancellationToken cancellationToken)
    {
        var ns = new DeployedResource { ApiVersion = "v1", Kind = "Namespace", Name = Namespace };
        if (await applier.GetAsync(ns, cancellationToken) is null)
        {
            await applier.ApplyAsync(ManifestObject.From(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = Namespace },
            })!, cancellationToken);
        }
        var spec = new PackReceiptSpec
        {
            ClusterPackRef = pack,
            TargetClusterRef = cluster,
            RbacDigest = delivery.RbacDigest,
            WorkloadDigest = delivery.WorkloadDigest,
            DeployedResources = inventory,
        };
        var body = new JsonObject
        {
            ["apiVersion"] = SeamApi.ApiVersion,
            ["kind"] = PackReceipt.KindName,
            ["metadata"] = new JsonObject
            {
                ["name"] = pack,
                ["namespace"] = Namespace,
                ["annotations"] = new JsonObject { [DeployStateAnnotation] = state },
            },
            ["spec"] = JsonSerializer.SerializeToNode(spec, SpecJson),
        };
        await applier.ApplyAsync(ManifestObject.From(body)!, cancellationToken);
    }

    private static readonly JsonSerializerOptions SpecJson = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
