using Conductor.Resources.References;

namespace Conductor.Compiler.ClusterAccess;

/// <summary>
/// Resolves a MaintenanceBundle's scheduling context with read-only GETs (compiler notes §5.2): the Platform
/// operator's leader node (Lease <c>platform-leader</c> → holder pod → its node), that every target node exists,
/// and that the S3 configuration Secret exists. Stops at the first failure, each with its own message.
/// </summary>
internal static class MaintenanceContextResolver
{
    public const string LeaderNamespace = "seam-system";
    public const string LeaderLease = "platform-leader";

    public static async Task<MaintenanceContext> ResolveAsync(ReadOnlyCluster cluster, MaintenanceQuery query, CancellationToken cancellationToken)
    {
        var lease = await cluster.LeaseAsync(LeaderNamespace, LeaderLease, cancellationToken)
            ?? throw new ClusterAccessException(
                $"Lease {LeaderNamespace}/{LeaderLease} does not exist: the Platform operator must be running (and have elected a leader) " +
                "before maintenance can be compiled, because its node is kept free of maintenance Jobs");
        var holder = lease.Spec?.HolderIdentity;
        if (string.IsNullOrEmpty(holder))
        {
            throw new ClusterAccessException(
                $"Lease {LeaderNamespace}/{LeaderLease} has no holder (spec.holderIdentity is empty): no Platform operator replica " +
                "is leader right now; wait for one to be elected and run again");
        }
        // Leader-election identities are "<pod>_<uid>"; the pod name is the part before the first underscore.
        var podName = holder.Split('_', 2)[0];
        var pod = await cluster.PodAsync(LeaderNamespace, podName, cancellationToken)
            ?? throw new ClusterAccessException(
                $"Lease {LeaderNamespace}/{LeaderLease} is held by '{holder}', but Pod {LeaderNamespace}/{podName} does not exist: " +
                "the lease is stale; wait for the Platform operator to renew it and run again");
        var leaderNode = pod.Spec?.NodeName;
        if (string.IsNullOrEmpty(leaderNode))
        {
            throw new ClusterAccessException(
                $"Pod {LeaderNamespace}/{podName} (the Platform operator leader) is not scheduled to a node yet (spec.nodeName is empty); " +
                "run again once it is running");
        }

        if (query.S3ConfigSecret is { } s3)
        {
            var ns = s3.Namespace ?? LeaderNamespace;
            if (await cluster.SecretAsync(ns, s3.Name, cancellationToken) is null)
            {
                throw new ClusterAccessException(
                    $"S3 configuration Secret {ns}/{s3.Name} does not exist: create it with the bucket, endpoint and credentials " +
                    "for etcd backups, or name another with --s3-secret");
            }
        }

        var missing = new List<string>();
        foreach (var node in query.TargetNodes)
        {
            if (await cluster.NodeAsync(node, cancellationToken) is null)
            {
                missing.Add(node);
            }
        }
        if (missing.Count > 0)
        {
            throw new ClusterAccessException(
                $"target node{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(n => $"\"{n}\""))} " +
                $"do{(missing.Count == 1 ? "es" : "")} not exist in the cluster; check --nodes against `kubectl get nodes`");
        }
        return new MaintenanceContext(leaderNode, query.TargetNodes, query.S3ConfigSecret is { } secret
            ? new NamespacedRef { Name = secret.Name, Namespace = secret.Namespace ?? LeaderNamespace }
            : null);
    }
}
