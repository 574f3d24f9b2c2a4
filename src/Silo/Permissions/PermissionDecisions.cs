namespace Conductor.Silo.Permissions;

/// <summary>
/// Answers authorisation questions from a loaded snapshot. Pure: no I/O, no clock. Without a snapshot every answer
/// is a denial saying so; a denial names the principal's closest grant and what about it did not match.
/// </summary>
public static class PermissionDecisions
{
    public const string NotLoadedReason = "no verified PermissionSnapshot is loaded on this replica yet, so nothing is allowed";

    public static PermissionDecision Check(LoadedSnapshot? snapshot, PermissionQuestion question)
    {
        if (snapshot is null)
        {
            return new PermissionDecision(false, NotLoadedReason, null, "");
        }
        if (!snapshot.ByPrincipal.TryGetValue(question.Principal, out var grants))
        {
            return new PermissionDecision(false,
                $"denied: principal \"{question.Principal}\" has no grants in PermissionSnapshot {snapshot.Name} version {snapshot.Version}",
                null, snapshot.Version);
        }
        IReadOnlyList<string>? closestMisses = null;
        foreach (var grant in grants)
        {
            var misses = Misses(grant, question);
            if (misses.Count == 0)
            {
                return new PermissionDecision(true,
                    $"allowed: {Describe(grant)} grants {Describe(question)} (PermissionSnapshot {snapshot.Name} version {snapshot.Version})",
                    grant, snapshot.Version);
            }
            if (closestMisses is null || misses.Count < closestMisses.Count)
            {
                closestMisses = misses;
            }
        }
        return new PermissionDecision(false,
            $"denied: no grant of principal \"{question.Principal}\" allows {Describe(question)}; " +
            $"the closest grant did not match on {string.Join(", ", closestMisses!)} (PermissionSnapshot {snapshot.Name} version {snapshot.Version})",
            null, snapshot.Version);
    }

    /// <summary>The principal's grants that apply on <paramref name="cluster"/>, in snapshot order; empty when none or not loaded.</summary>
    public static IReadOnlyList<PermissionGrant> List(LoadedSnapshot? snapshot, string principal, string cluster) =>
        snapshot is not null && snapshot.ByPrincipal.TryGetValue(principal, out var grants)
            ? [.. grants.Where(g => RbacMatching.ClusterMatches(g, cluster))]
            : [];

    /// <summary>Every principal with a grant allowing the question (its Principal is ignored), each once, in snapshot order.</summary>
    public static IReadOnlyList<string> WhoCanDo(LoadedSnapshot? snapshot, PermissionQuestion question)
    {
        if (snapshot is null)
        {
            return [];
        }
        var principals = new List<string>();
        foreach (var (principal, grants) in snapshot.ByPrincipal)
        {
            if (grants.Any(g => Misses(g, question).Count == 0))
            {
                principals.Add(principal);
            }
        }
        var order = snapshot.Grants.Select(g => g.Principal).Distinct(StringComparer.Ordinal).ToList();
        return [.. principals.OrderBy(order.IndexOf)];
    }

    private static List<string> Misses(PermissionGrant grant, PermissionQuestion question)
    {
        var misses = new List<string>(0);
        if (!RbacMatching.VerbMatches(grant, question.Verb))
        {
            misses.Add($"verb (grants [{string.Join(",", grant.Verbs)}])");
        }
        if (!RbacMatching.ApiGroupMatches(grant, question.ApiGroup))
        {
            misses.Add($"apiGroup (grants [{string.Join(",", grant.ApiGroups.Select(Group))}])");
        }
        if (!RbacMatching.ResourceMatches(grant, question.Resource))
        {
            misses.Add($"resource (grants [{string.Join(",", grant.Resources)}])");
        }
        if (!RbacMatching.ResourceNameMatches(grant, question.ResourceName))
        {
            misses.Add($"resourceName (grants only [{string.Join(",", grant.ResourceNames)}])");
        }
        if (!RbacMatching.NamespaceMatches(grant, question.Namespace))
        {
            misses.Add($"namespace (bound to {grant.Namespace})");
        }
        if (!RbacMatching.ClusterMatches(grant, question.Cluster))
        {
            misses.Add($"cluster (grants only [{string.Join(",", grant.Clusters)}])");
        }
        return misses;
    }

    private static string Describe(PermissionQuestion q)
    {
        var target = $"{Group(q.ApiGroup)}/{q.Resource}" + (q.ResourceName.Length > 0 ? $" \"{q.ResourceName}\"" : "");
        var scope = q.Namespace.Length > 0 ? $" in namespace {q.Namespace}" : "";
        return $"{q.Verb} on {target}{scope} on cluster \"{q.Cluster}\"";
    }

    private static string Describe(PermissionGrant g) =>
        $"grant verbs [{string.Join(",", g.Verbs)}] on [{string.Join(",", g.ApiGroups.Select(Group))}]/[{string.Join(",", g.Resources)}]" +
        (g.ResourceNames.Count > 0 ? $" names [{string.Join(",", g.ResourceNames)}]" : "") +
        (g.Namespace is null ? "" : $" in namespace {g.Namespace}");

    private static string Group(string group) => group.Length == 0 ? "core" : group;
}
