using Conductor.Compiler.OperatorBundle.Rbac;
using Conductor.Silo.Tenant;
using k8s.Models;

namespace Conductor.Integration.Tests.LeastPrivilege;

/// <summary>What <c>compiler enable</c> grants the tenant agent covers every call the agent makes (and its ClusterRole never needs a wildcard).</summary>
public sealed class TenantPermissionsTests
{
    private static readonly OperatorPermissions Granted = OperatorPermissions.ConductorTenant;

    [Fact]
    public void ConductorTenant_EveryResourceTheAgentUses_IsGranted()
    {
        var missing = new List<string>();
        foreach (var need in TenantPermissions.Resources)
        {
            // A Role in the agent's namespace or the ClusterRole may grant own-namespace needs; others need the ClusterRole.
            var rules = need.InOwnNamespace ? [.. Granted.Cluster, .. Granted.Namespaced] : Granted.Cluster;
            foreach (var verb in need.Verbs.Where(v => !rules.Any(r => Covers(r, need.ApiGroup, need.Resource, v))))
            {
                missing.Add($"{verb} {Group(need.ApiGroup)}/{need.Resource} ({need.Purpose}{(need.InOwnNamespace ? ", own namespace" : ", cluster-wide")})");
            }
        }

        Assert.True(missing.Count == 0, "OperatorPermissions.ConductorTenant lacks: " + string.Join("; ", missing));
    }

    [Fact]
    public void ConductorTenant_Discovery_IsGranted()
    {
        var missing = TenantPermissions.NonResourceUrls
            .Where(url => !Granted.Cluster.Any(r => r.NonResourceURLs?.Contains(url) == true && r.Verbs.Contains("get")))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void ConductorTenant_Rules_UseNoWildcards()
    {
        var wildcards = Granted.Cluster.Concat(Granted.Namespaced)
            .Where(r => (r.ApiGroups ?? []).Contains("*") || (r.Resources ?? []).Contains("*") || r.Verbs.Contains("*"))
            .ToList();

        Assert.Empty(wildcards);
    }

    private static bool Covers(V1PolicyRule rule, string group, string resource, string verb) =>
        (rule.ApiGroups ?? []).Any(g => g == "*" || g == group)
        && (rule.Resources ?? []).Any(r => r == "*" || r == resource)
        && rule.Verbs.Any(v => v == "*" || v == verb);

    private static string Group(string group) => group.Length == 0 ? "core" : group;
}
