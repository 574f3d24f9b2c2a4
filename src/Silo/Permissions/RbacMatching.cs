namespace Conductor.Silo.Permissions;

/// <summary>
/// Kubernetes RBAC rule matching: <c>*</c> in verbs, apiGroups or resources matches anything; a resource rule
/// <c>pods/log</c> matches only that subresource, <c>*/scale</c> the scale subresource of every resource; a rule
/// with resourceNames matches only requests naming one of them. All comparisons are exact and case-sensitive.
/// </summary>
public static class RbacMatching
{
    public const string All = "*";

    public static bool VerbMatches(PermissionGrant grant, string verb) => ContainsOrAll(grant.Verbs, verb);

    public static bool ApiGroupMatches(PermissionGrant grant, string apiGroup) => ContainsOrAll(grant.ApiGroups, apiGroup);

    public static bool ResourceMatches(PermissionGrant grant, string resource)
    {
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        var subresource = slash < 0 ? null : resource[(slash + 1)..];
        foreach (var rule in grant.Resources)
        {
            if (rule == All || rule == resource)
            {
                return true;
            }
            // "*/scale" grants the scale subresource of every resource, never the resource itself.
            if (subresource is not null && rule.Length == subresource.Length + 2 && rule.StartsWith("*/", StringComparison.Ordinal)
                && rule.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>No resourceNames grants every object; otherwise the request must name one of them (so list/create never match).</summary>
    public static bool ResourceNameMatches(PermissionGrant grant, string resourceName) =>
        grant.ResourceNames.Count == 0 || (resourceName.Length > 0 && grant.ResourceNames.Contains(resourceName, StringComparer.Ordinal));

    public static bool ClusterMatches(PermissionGrant grant, string cluster) =>
        grant.Clusters.Count == 0 || grant.Clusters.Contains(cluster, StringComparer.Ordinal);

    /// <summary>A cluster-wide grant matches every namespace; a namespace-bound one only requests in that namespace.</summary>
    public static bool NamespaceMatches(PermissionGrant grant, string @namespace) =>
        grant.Namespace is null || string.Equals(grant.Namespace, @namespace, StringComparison.Ordinal);

    private static bool ContainsOrAll(IReadOnlyList<string> values, string value)
    {
        foreach (var candidate in values)
        {
            if (candidate == All || candidate == value)
            {
                return true;
            }
        }
        return false;
    }
}
