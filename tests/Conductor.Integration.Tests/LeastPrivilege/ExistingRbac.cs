using k8s;
using k8s.Models;

namespace Conductor.Integration.Tests.LeastPrivilege;

/// <summary>
/// RBAC a cluster already holds when the agent arrives, for the bootstrap sweep to adopt: a Role, RoleBinding,
/// ClusterRole and ClusterRoleBinding granting what the agent itself does not hold (reading Deployments), as a
/// third-party component's would. Each carries the sweep label, so only this test's agent sweeps them.
/// </summary>
internal static class ExistingRbac
{
    private const string Name = "workload-reader";
    private const string RbacGroup = "rbac.authorization.k8s.io";

    public static async Task<ClusterRbacCleanup> CreateAsync(IKubernetes admin, string @namespace, string sweepValue, CancellationToken cancellationToken)
    {
        var clusterName = ClusterName(@namespace);
        V1ObjectMeta Meta(string name) => new() { Name = name, Labels = new Dictionary<string, string> { [ServiceAccountTenant.SweepLabel] = sweepValue } };
        var rule = new V1PolicyRule { ApiGroups = ["apps"], Resources = ["deployments"], Verbs = ["list"] };
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = "default", NamespaceProperty = @namespace };
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = Meta(Name), Rules = [rule] }, @namespace, cancellationToken: cancellationToken);
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = Meta(Name),
            RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = "Role", Name = Name },
            Subjects = [subject],
        }, @namespace, cancellationToken: cancellationToken);
        var created = new ClusterRbacCleanup(admin, clusterName);
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = Meta(clusterName), Rules = [rule] }, cancellationToken: cancellationToken);
        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = Meta(clusterName),
            RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = "ClusterRole", Name = clusterName },
            Subjects = [subject],
        }, cancellationToken: cancellationToken);
        return created;
    }

    /// <summary>The four objects and the agent's own ServiceAccount (which the sweep adopts too), as they stand.</summary>
    public static async Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ReadAsync(IKubernetes admin, string @namespace, CancellationToken cancellationToken) =>
    [
        await admin.RbacAuthorizationV1.ReadNamespacedRoleAsync(Name, @namespace, cancellationToken: cancellationToken),
        await admin.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(Name, @namespace, cancellationToken: cancellationToken),
        await admin.RbacAuthorizationV1.ReadClusterRoleAsync(ClusterName(@namespace), cancellationToken: cancellationToken),
        await admin.RbacAuthorizationV1.ReadClusterRoleBindingAsync(ClusterName(@namespace), cancellationToken: cancellationToken),
        await admin.CoreV1.ReadNamespacedServiceAccountAsync(TenantBundleRbac.ServiceAccount, @namespace, cancellationToken: cancellationToken),
    ];

    private static string ClusterName(string @namespace) => $"{@namespace}-{Name}";
}
