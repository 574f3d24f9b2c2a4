using Microsoft.Extensions.Logging;

namespace Conductor.Executor.Capabilities.RbacProvision;

/// <summary>What rbac-provision tells an operator per step.</summary>
internal static partial class RbacProvisionLog
{
    [LoggerMessage(201, LogLevel.Information, "rbac-provision {Snapshot} version {Version}: signature verified with trusted key {KeyId}")]
    public static partial void Verified(ILogger logger, string snapshot, string version, string keyId);

    [LoggerMessage(202, LogLevel.Information, "rbac-provision {Snapshot}: applied {Count} RBAC objects to cluster {ClusterId}")]
    public static partial void Applied(ILogger logger, string snapshot, int count, string clusterId);

    [LoggerMessage(203, LogLevel.Information, "rbac-provision {Snapshot}: pruned {Deleted} of {Stale} objects of older versions the current version lacks ({Objects})")]
    public static partial void Pruned(ILogger logger, string snapshot, int deleted, int stale, string objects);
}
