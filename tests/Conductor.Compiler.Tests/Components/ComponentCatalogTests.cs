using Conductor.Compiler.Components;
using Conductor.Components;

namespace Conductor.Compiler.Tests.Components;

/// <summary>The embedded catalog itself: complete, ordered, and held to the same rules as a descriptor.</summary>
public sealed class ComponentCatalogTests
{
    public static TheoryData<string> Names() => [.. ComponentCatalog.All.Select(entry => entry.Name)];

    [Fact]
    public void All_IssueComponentsAndAgentSweepComponents_OrderedByName()
    {
        Assert.Equal(["cert-manager", "cilium", "cnpg", "kueue", "local-path-provisioner", "metallb"], ComponentCatalog.All.Select(entry => entry.Name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Validate_CatalogEntry_MeetsDescriptorRules(string name)
    {
        var errors = new List<string>();

        ComponentValidator.Validate(ComponentCatalog.Find(name)!, path => $"catalog entry {name}", errors);

        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void CatalogEntry_EveryRule_NoWildcardAndNoRuleRepeatedInASet(string name)
    {
        var rules = ComponentCatalog.Find(name)!.Principals.SelectMany(p => p.PermissionSets).SelectMany(s => s.Rules).ToList();

        Assert.All(rules, rule => Assert.DoesNotContain(
            rule.ApiGroups!.Concat(rule.Resources!).Concat(rule.Verbs), value => value.Contains('*')));
        foreach (var set in ComponentCatalog.Find(name)!.Principals.SelectMany(p => p.PermissionSets))
        {
            var keys = set.Rules.Select(rule => string.Join("|", string.Join(",", rule.ApiGroups!), string.Join(",", rule.Resources!),
                string.Join(",", rule.Verbs), string.Join(",", rule.ResourceNames ?? []))).ToList();
            Assert.True(keys.Count == keys.Distinct(StringComparer.Ordinal).Count(), $"{set.Name} repeats a rule");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void CatalogEntry_Workloads_EachRecognisableByLabels(string name)
    {
        var entry = ComponentCatalog.Find(name)!;

        Assert.NotEmpty(entry.Workloads);
        Assert.All(entry.Workloads, workload => Assert.All(workload.Selectors, selector => Assert.NotEmpty(selector)));
    }

    [Fact]
    public void Find_WrongCase_Null()
    {
        Assert.Null(ComponentCatalog.Find("Cilium"));
        Assert.NotNull(ComponentCatalog.Find("cilium"));
    }

    [Fact]
    public void Catalog_ProfileAndPermissionSetNames_UniqueAcrossComponents()
    {
        var names = ComponentCatalog.All.SelectMany(entry => entry.Principals)
            .SelectMany(principal => principal.PermissionSets.Select(set => "PermissionSet/" + set.Name).Append("RBACProfile/" + principal.Profile))
            .ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }
}
