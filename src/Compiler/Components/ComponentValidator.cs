using System.Text.RegularExpressions;
using Conductor.Components;
using Conductor.Naming;
using Conductor.Resources.Guardian;

namespace Conductor.Compiler.Components;

/// <summary>
/// The rules a component definition must meet before RBAC is written from it, whether it comes from the catalog or
/// from a descriptor. Every problem is reported, each with where it is (<c>locate</c> maps a field path to a file
/// position or a catalog entry), the field path and the rule.
/// </summary>
public static partial class ComponentValidator
{
    /// <summary>The verbs of Kubernetes RBAC; anything else grants nothing and is almost always a typo.</summary>
    public static readonly IReadOnlySet<string> Verbs = new SortedSet<string>(StringComparer.Ordinal)
    {
        "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
        "approve", "sign", "bind", "escalate", "impersonate", "use",
    };

    public static void Validate(ComponentDefinition component, Func<string, string> locate, List<string> errors)
    {
        void Error(string path, string rule) => errors.Add($"{locate(path)}: {path}: {rule}");

        RequireLabel(component.Name, "name", Error);
        if (string.IsNullOrWhiteSpace(component.Version))
        {
            Error("version", "required: the upstream release the rules were written for, for example v1.2");
        }
        RequireLabel(component.Namespace, "namespace", Error);
        if (component.Principals.Count == 0)
        {
            Error("principals", "required: at least one service account with the permission sets it is granted");
        }

        var profiles = new HashSet<string>(StringComparer.Ordinal);
        var permissionSets = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < component.Principals.Count; p++)
        {
            var principal = component.Principals[p];
            var at = $"principals[{p}]";
            if (RequireSubdomain(principal.Profile, $"{at}.profile", Error) && !profiles.Add(principal.Profile))
            {
                Error($"{at}.profile", $"'{principal.Profile}' is already the profile of another principal; profile names must be unique");
            }
            RequireSubdomain(principal.ServiceAccount, $"{at}.serviceAccount", Error);
            if (principal.PermissionSets.Count == 0)
            {
                Error($"{at}.permissionSets", "required: at least one permission set");
            }
            for (var s = 0; s < principal.PermissionSets.Count; s++)
            {
                var set = principal.PermissionSets[s];
                var setAt = $"{at}.permissionSets[{s}]";
                if (RequireSubdomain(set.Name, $"{setAt}.name", Error) && !permissionSets.Add(set.Name))
                {
                    Error($"{setAt}.name", $"'{set.Name}' is already used; permission set names must be unique within a component");
                }
                ValidateNamespaces(set, setAt, Error);
                if (set.Rules.Count == 0)
                {
                    Error($"{setAt}.rules", "required: at least one rule");
                }
                for (var r = 0; r < set.Rules.Count; r++)
                {
                    ValidateRule(set.Rules[r], $"{setAt}.rules[{r}]", Error);
                }
            }
        }
    }

    private static void ValidateNamespaces(ComponentPermissionSet set, string at, Action<string, string> error)
    {
        if (set.Namespaces is null)
        {
            return;
        }
        if (set.Scope == PermissionScope.Cluster)
        {
            error($"{at}.namespaces", "only a permission set with scope namespaced lists namespaces; drop it or change the scope");
            return;
        }
        if (set.Namespaces.Count == 0)
        {
            error($"{at}.namespaces", "must list at least one namespace; leave it out to mean the component's own namespace");
        }
        for (var n = 0; n < set.Namespaces.Count; n++)
        {
            RequireLabel(set.Namespaces[n], $"{at}.namespaces[{n}]", error);
        }
    }

    private static void ValidateRule(PermissionRule rule, string at, Action<string, string> error)
    {
        NonEmpty(rule.ApiGroups, $"{at}.apiGroups", "list the API groups; \"\" is the core group", error);
        NonEmpty(rule.Resources, $"{at}.resources", "list the resources, with subresources as resource/subresource", error);
        NonEmpty(rule.Verbs, $"{at}.verbs", "list the verbs", error);
        Wildcards(rule.ApiGroups, $"{at}.apiGroups", error);
        Wildcards(rule.Resources, $"{at}.resources", error);
        Wildcards(rule.Verbs, $"{at}.verbs", error);
        for (var v = 0; v < rule.Verbs.Count; v++)
        {
            if (rule.Verbs[v] != "*" && !Verbs.Contains(rule.Verbs[v]))
            {
                error($"{at}.verbs[{v}]", $"'{rule.Verbs[v]}' is not a Kubernetes RBAC verb; use one of {string.Join(", ", Verbs)}");
            }
        }
        for (var r = 0; r < (rule.Resources?.Count ?? 0); r++)
        {
            if (!Resource().IsMatch(rule.Resources![r]) && rule.Resources[r] != "*")
            {
                error($"{at}.resources[{r}]", $"'{rule.Resources[r]}' must be a lowercase plural resource name, optionally /subresource (pods, pods/log)");
            }
        }
        if (rule.ResourceNames is { Count: 0 })
        {
            error($"{at}.resourceNames", "must list at least one name; leave it out to allow every object");
        }
    }

    private static void NonEmpty(IReadOnlyList<string>? values, string at, string fix, Action<string, string> error)
    {
        if (values is null || values.Count == 0)
        {
            error(at, $"required: {fix}");
        }
    }

    // Least privilege: a wildcard also grants whatever the API adds later. No catalog component needs one.
    private static void Wildcards(IReadOnlyList<string>? values, string at, Action<string, string> error)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            if (values![i].Contains('*'))
            {
                error($"{at}[{i}]", "wildcards are not allowed: they also grant whatever is added later; list what the component uses");
            }
        }
    }

    private static bool RequireLabel(string value, string at, Action<string, string> error)
    {
        if (DnsLabel.IsValid(value))
        {
            return true;
        }
        error(at, value.Length == 0 ? "required" : $"'{value}' must be a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit");
        return false;
    }

    private static bool RequireSubdomain(string value, string at, Action<string, string> error)
    {
        if (DnsSubdomain.IsValid(value))
        {
            return true;
        }
        error(at, value.Length == 0 ? "required" : $"'{value}' must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253 characters");
        return false;
    }

    [GeneratedRegex("^[a-z0-9]+(/[a-z0-9]+)?$")]
    private static partial Regex Resource();
}
