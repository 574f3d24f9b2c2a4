using Microsoft.Extensions.Logging;

namespace Conductor.Executor.Capabilities.PackDeploy;

/// <summary>What pack-deploy tells an operator per step: enough to follow a deployment from the Job's log alone.</summary>
internal static partial class PackDeployLog
{
    [LoggerMessage(101, LogLevel.Information, "pack-deploy {Pack} version {Version}: signature verified with trusted key {KeyId}")]
    public static partial void Verified(ILogger logger, string pack, string version, string keyId);

    [LoggerMessage(102, LogLevel.Information, "pack-deploy {Pack}: pulled and verified {LayerCount} layers ({Layers})")]
    public static partial void Pulled(ILogger logger, string pack, int layerCount, string layers);

    [LoggerMessage(103, LogLevel.Information, "pack-deploy {Pack}: phase {Phase} applied {Count} objects to cluster {ClusterId}")]
    public static partial void Applied(ILogger logger, string pack, string phase, int count, string clusterId);

    [LoggerMessage(104, LogLevel.Information, "pack-deploy {Pack}: {Phase} ready, {Watched} objects checked")]
    public static partial void Ready(ILogger logger, string pack, string phase, int watched);

    [LoggerMessage(105, LogLevel.Warning, "pack-deploy {Pack}: {Phase} failed: {Reason}")]
    public static partial void NotReady(ILogger logger, string pack, string phase, string reason);

    [LoggerMessage(106, LogLevel.Information, "pack-deploy {Pack}: pruned {Deleted} of {Stale} objects the previous version had and this one lacks ({Objects})")]
    public static partial void Pruned(ILogger logger, string pack, int deleted, int stale, string objects);

    [LoggerMessage(109, LogLevel.Warning, "pack-deploy {Pack}: the previous version's namespaces {Namespaces} are no longer in the pack and were left in place (deleting a namespace deletes everything in it); delete them by hand once empty")]
    public static partial void NamespacesKept(ILogger logger, string pack, string namespaces);

    [LoggerMessage(107, LogLevel.Information, "pack-deploy {Pack}: PackReceipt written with {Count} objects, state {State}")]
    public static partial void ReceiptWritten(ILogger logger, string pack, int count, string state);

    [LoggerMessage(108, LogLevel.Error, "pack-deploy {Pack}: the deployment failed and the inventory of {Count} applied objects could not be recorded: {Reason}; the next version may leave them unpruned")]
    public static partial void InventoryNotRecorded(ILogger logger, string pack, int count, string reason, Exception exception);
}
