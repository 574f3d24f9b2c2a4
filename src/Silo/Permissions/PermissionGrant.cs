namespace Conductor.Silo.Permissions;

/// <summary>
/// One RBAC rule bound to one principal, as loaded from a verified PermissionSnapshot. Empty
/// <see cref="ResourceNames"/> means every object; empty <see cref="Clusters"/> means every cluster; a null
/// <see cref="Namespace"/> means cluster-wide (like a ClusterRoleBinding), otherwise only that namespace.
/// </summary>
public sealed record PermissionGrant(
    string Principal,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> Clusters,
    string? Namespace);
