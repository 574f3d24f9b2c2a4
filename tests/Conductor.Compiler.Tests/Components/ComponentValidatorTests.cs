using Conductor.Compiler.Components;
using Conductor.Components;
using Conductor.Resources.Guardian;

namespace Conductor.Compiler.Tests.Components;

public sealed class ComponentValidatorTests
{
    private static ComponentDefinition With(ComponentPermissionSet set, string profile = "rbac-x") =>
        new("x", "v1", "", "x-system", [], [new ComponentPrincipal(profile, "x", [set])]);

    private static List<string> Validate(ComponentDefinition component)
    {
        var errors = new List<string>();
        ComponentValidator.Validate(component, path => "here", errors);
        return errors;
    }

    private static readonly PermissionRule Pods = new() { ApiGroups = [""], Resources = ["pods"], Verbs = ["get"] };

    [Fact]
    public void Validate_ClusterScopeWithNamespaces_Error()
    {
        var errors = Validate(With(new ComponentPermissionSet("x-set", "", PermissionScope.Cluster, [Pods], ["a"])));

        Assert.Equal(["here: principals[0].permissionSets[0].namespaces: only a permission set with scope namespaced lists namespaces; drop it or change the scope"], errors);
    }

    [Fact]
    public void Validate_EmptyListsAndWildcards_EachReportedWithPath()
    {
        var rule = new PermissionRule { ApiGroups = [], Resources = ["*"], Verbs = ["get", "*"], ResourceNames = [] };

        var errors = Validate(With(new ComponentPermissionSet("x-set", "", PermissionScope.Namespaced, [rule], [])));

        Assert.Contains(errors, e => e.StartsWith("here: principals[0].permissionSets[0].namespaces: must list at least one namespace", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("here: principals[0].permissionSets[0].rules[0].apiGroups: required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("here: principals[0].permissionSets[0].rules[0].resources[0]: wildcards are not allowed", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("here: principals[0].permissionSets[0].rules[0].verbs[1]: wildcards are not allowed", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("here: principals[0].permissionSets[0].rules[0].resourceNames: must list at least one name", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Validate_DuplicatePermissionSetNames_Error()
    {
        var set = new ComponentPermissionSet("x-set", "", PermissionScope.Cluster, [Pods]);
        var component = new ComponentDefinition("x", "v1", "", "x-system", [],
            [new ComponentPrincipal("rbac-a", "a", [set]), new ComponentPrincipal("rbac-b", "b", [set])]);

        Assert.Equal(["here: principals[1].permissionSets[0].name: 'x-set' is already used; permission set names must be unique within a component"],
            Validate(component));
    }

    [Fact]
    public void Validate_BadNames_NamesTheRule()
    {
        var component = new ComponentDefinition("My_Op", "", "", "", [], []);

        var errors = Validate(component);

        Assert.Contains("here: name: 'My_Op' must be a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit", errors);
        Assert.Contains(errors, e => e.StartsWith("here: version: required", StringComparison.Ordinal));
        Assert.Contains("here: namespace: required", errors);
        Assert.Contains(errors, e => e.StartsWith("here: principals: required", StringComparison.Ordinal));
    }
}
