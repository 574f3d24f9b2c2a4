using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Conductor.Silo.Permissions;

/// <summary>Healthy only once this replica loaded a verified snapshot; grpc.health.v1 reports NOT_SERVING until then.</summary>
public sealed class SnapshotLoadedHealthCheck(PermissionSnapshotStore store) : IHealthCheck
{
    public const string Name = "permission-snapshot";
    public const string Tag = "permission-service";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Current is { } snapshot
            ? HealthCheckResult.Healthy($"answering from PermissionSnapshot {snapshot.Name} version {snapshot.Version}")
            : HealthCheckResult.Unhealthy(PermissionDecisions.NotLoadedReason));
}
