using Conductor.Compiler.Packs;
using Conductor.Compiler.Packs.Input;

namespace Conductor.Compiler.Validation;

/// <summary>The PackBuild input rules, in the reference's order (compiler.md §4.3), then ours; every violation is reported.</summary>
internal static class PackBuildRules
{
    private static readonly IInputRule<PackBuildDocument>[] Rules =
    [
        new PackNameRule(),
        new PackVersionRule(),
        new PackCategoryRule(),
        new PackRegistryUrlRule(),
        new PackPrebuiltDigestRule(),
        new PackComputedFieldsRule(),
        new PackSourcePathRule(),
        new PackNamespaceRule(),
        new PackTargetClustersRule(),
        new PackValuesFileRule(),
    ];

    /// <summary>Throws a <see cref="PackBuildException"/> listing every violation, each placed at its field's line.</summary>
    public static void Validate(PackBuildDocument document)
    {
        var problems = Rules.SelectMany(rule => rule.Check(document))
            .Select(violation => document.Problem(violation.Field, violation.Message))
            .ToList();
        if (problems.Count > 0)
        {
            throw new PackBuildException(problems);
        }
    }
}
