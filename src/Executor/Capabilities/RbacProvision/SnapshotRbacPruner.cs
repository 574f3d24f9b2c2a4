using Conductor.Executor.Runs;
using Conductor.Executor.TargetCluster;
using Conductor.Resources.Dispatcher;
using Conductor.Runner.Results;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Executor.Capabilities.RbacProvision;

/// <summary>
/// Finds the RBAC objects an earlier version of one PermissionSnapshot left on the target and the current version no
/// longer has. Only objects Conductor created for exactly this snapshot qualify: the managed-by and snapshot labels
/// select them, and the snapshot annotation must name the same snapshot (a label hash alone could collide).
/// </summary>
public sealed class SnapshotRbacPruner(IKubernetes target, string cluster)
{
    private const string RbacApiVersion = "rbac.authorization.k8s.io/v1";

    /// <summary>A leftover object and the snapshot version that applied it.</summary>
    public sealed record Leftover(DeployedResource Resource, string? Version);

    /// <summary>The objects of <paramref name="snapshot"/> on the target that <paramref name="current"/> lacks.</summary>
    public async Task<IReadOnlyList<Leftover>> FindLeftoversAsync(string snapshot, IReadOnlyCollection<DeployedResource> current,
        CancellationToken cancellationToken)
    {
        var selector = $"{SnapshotRbac.ManagedByLabel}=conductor,{SnapshotRbac.SnapshotLabel}={SnapshotRbac.SnapshotRef(snapshot)}";
        var found = new List<(string Kind, V1ObjectMeta Metadata)>();
        try
        {
            // Bindings first: deleting them before their roles never leaves a binding to a missing role.
            found.AddRange((await target.RbacAuthorizationV1.ListRoleBindingForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken))
                .Items.Select(i => ("RoleBinding", i.Metadata)));
            found.AddRange((await target.RbacAuthorizationV1.ListClusterRoleBindingAsync(labelSelector: selector, cancellationToken: cancellationToken))
                .Items.Select(i => ("ClusterRoleBinding", i.Metadata)));
            found.AddRange((await target.RbacAuthorizationV1.ListRoleForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken))
                .Items.Select(i => ("Role", i.Metadata)));
            found.AddRange((await target.RbacAuthorizationV1.ListClusterRoleAsync(labelSelector: selector, cancellationToken: cancellationToken))
                .Items.Select(i => ("ClusterRole", i.Metadata)));
        }
        catch (HttpOperationException e)
        {
            throw new CapabilityFailureException(FailureCategory.ExecutionFailure,
                $"listing the RBAC of {snapshot} on cluster {cluster} failed: {(int)e.Response.StatusCode} {e.Response.Content}", e);
        }
        var keep = current.ToHashSet();
        return found
            .Where(f => Annotation(f.Metadata, SnapshotRbac.SnapshotAnnotation) == snapshot)
            .Select(f => new Leftover(
                new DeployedResource { ApiVersion = RbacApiVersion, Kind = f.Kind, Name = f.Metadata.Name, Namespace = f.Metadata.NamespaceProperty },
                Annotation(f.Metadata, SnapshotRbac.SnapshotVersionAnnotation)))
            .Where(l => !keep.Contains(l.Resource))
            .ToList();
    }

    private static string? Annotation(V1ObjectMeta metadata, string key) =>
        metadata.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;
}
