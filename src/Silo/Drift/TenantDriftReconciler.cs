using System.Net;
using Conductor.Resources;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Platform;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Silo.Drift;

/// <summary>
/// One tenant drift decision per call: checks a PackReceipt or the cluster's versions and records the outcome in the
/// matching DriftSignal on management. <see cref="PassAsync"/> reads everything from the API server and checks it
/// all, which is what the resync does.
/// </summary>
public sealed partial class TenantDriftReconciler(DriftOptions options, IKubernetes local, PackDriftCheck packs, DriftSignalWriter signals,
    ILogger logger)
{
    /// <summary>What was done for <c>drift-{receipt}</c>; null when the receipt is not judged.</summary>
    public async Task<DriftAction?> ReconcileReceiptAsync(PackReceipt receipt, CancellationToken cancellationToken) =>
        await packs.CheckAsync(receipt, cancellationToken) is { } observation
            ? await signals.ApplyAsync(observation, cancellationToken)
            : null;

    /// <summary>What was done for the Talos and the Kubernetes version signals (those that could be judged).</summary>
    public async Task<IReadOnlyList<DriftAction>> ReconcileVersionsAsync(TalosCluster? desired, IReadOnlyList<V1Node> nodes,
        CancellationToken cancellationToken)
    {
        var actions = new List<DriftAction>(2);
        foreach (var observation in VersionDriftCheck.Check(options.ClusterRef, desired, nodes))
        {
            actions.Add(await signals.ApplyAsync(observation, cancellationToken));
        }
        return actions;
    }

    /// <summary>Reads the TalosCluster, the nodes and every receipt now and reconciles each; one failure does not stop the rest.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        var desired = await ReadTalosClusterAsync(cancellationToken);
        var nodes = await local.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        await ReconcileVersionsAsync(desired, [.. nodes.Items], cancellationToken);
        var receipts = await local.CustomObjects.ListNamespacedCustomObjectAsync<ReceiptList>(SeamApi.Group, SeamApi.Version, options.Namespace,
            PackReceipt.Plural, cancellationToken: cancellationToken);
        foreach (var receipt in receipts.Items)
        {
            await ReconcileReceiptAsync(receipt, cancellationToken);
        }
    }

    /// <summary>The cluster's TalosCluster <c>{cluster}</c> in the agent namespace, or null when there is none.</summary>
    public async Task<TalosCluster?> ReadTalosClusterAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await local.CustomObjects.GetNamespacedCustomObjectAsync<TalosCluster>(SeamApi.Group, SeamApi.Version, options.Namespace,
                TalosCluster.Plural, options.ClusterRef, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            LogNoTalosCluster(logger, options.Namespace, options.ClusterRef);
            return null;
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "No TalosCluster {Namespace}/{Name}: version drift is not checked")]
    private static partial void LogNoTalosCluster(ILogger logger, string @namespace, string name);

    private sealed class ReceiptList
    {
        [System.Text.Json.Serialization.JsonPropertyName("items")]
        public List<PackReceipt> Items { get; set; } = [];
    }
}
