using Conductor.Resources.Guardian;

namespace Conductor.Components;

/// <summary>
/// A third-party component the platform grants RBAC to through guardian: what it is, where it runs, how to recognise
/// it on a cluster, and the permissions each of its service accounts needs.
/// </summary>
/// <param name="Name">Catalog key, a DNS-1123 label (<c>cert-manager</c>).</param>
/// <param name="Version">Upstream release line the rules were authored against (<c>v1.16</c>).</param>
/// <param name="Description">One line for humans.</param>
/// <param name="Namespace">Namespace the upstream manifests install into; a principal's service account lives there.</param>
/// <param name="Workloads">The Deployments and DaemonSets that show the component is installed.</param>
/// <param name="Principals">One RBACProfile each.</param>
public sealed record ComponentDefinition(
    string Name,
    string Version,
    string Description,
    string Namespace,
    IReadOnlyList<ComponentWorkload> Workloads,
    IReadOnlyList<ComponentPrincipal> Principals);

/// <summary>
/// A service account of the component and the PermissionSets granted to it through one RBACProfile.
/// </summary>
/// <param name="Profile">Name of the RBACProfile (<c>rbac-cert-manager</c>).</param>
/// <param name="ServiceAccount">Service account in the component's namespace; the principal is
/// <c>system:serviceaccount:{namespace}:{serviceAccount}</c>.</param>
public sealed record ComponentPrincipal(string Profile, string ServiceAccount, IReadOnlyList<ComponentPermissionSet> PermissionSets);

/// <summary>
/// Rules granted together, cluster-wide or in some namespaces. For a namespaced grant, <paramref name="Namespaces"/>
/// null means the component's own namespace.
/// </summary>
public sealed record ComponentPermissionSet(
    string Name,
    string Description,
    PermissionScope Scope,
    IReadOnlyList<PermissionRule> Rules,
    IReadOnlyList<string>? Namespaces = null);

/// <summary>
/// A workload of the component. It is recognised when an object of <paramref name="Kind"/> carries every label of
/// any one of <paramref name="Selectors"/> (on the object or its pod template): names are release-dependent,
/// upstream labels are not. <paramref name="Name"/> is the upstream default name, for reports.
/// </summary>
public sealed record ComponentWorkload(WorkloadKind Kind, string Name, IReadOnlyList<IReadOnlyDictionary<string, string>> Selectors);

public enum WorkloadKind
{
    Deployment,
    DaemonSet,
}
