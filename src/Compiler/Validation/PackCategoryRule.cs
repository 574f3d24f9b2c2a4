using Conductor.Compiler.Packs.Input;

namespace Conductor.Compiler.Validation;

/// <summary>
/// <c>category</c>, when set, is helm, kustomize or raw, its source is present, and no other source is (compiler.md
/// §4.3 step 3). Without a category, at most one source may be set.
/// </summary>
internal sealed class PackCategoryRule : IInputRule<PackBuildDocument>
{
    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        var input = document.Input;
        var present = Present(input).ToList();
        if (string.IsNullOrEmpty(input.Category))
        {
            foreach (var stray in present.Skip(1))
            {
                yield return new(PackSourceKinds.Field(stray),
                    $"is set together with {PackSourceKinds.Field(present[0])}: a pack has one source; remove one of them");
            }
            yield break;
        }

        if (!PackSourceKinds.Categories.Contains(input.Category, StringComparer.Ordinal))
        {
            yield return new("category",
                $"'{input.Category}' is not a category: use one of {string.Join(", ", PackSourceKinds.Categories)}, or leave it out to infer it from the source");
            yield break;
        }

        var kind = PackSourceKinds.Resolve(input);
        if (!present.Contains(kind))
        {
            yield return new(PackSourceKinds.Field(kind),
                $"is required when category is {input.Category}: add a {PackSourceKinds.Field(kind)} block");
        }
        foreach (var stray in present.Where(p => p != kind))
        {
            yield return new(PackSourceKinds.Field(stray),
                $"does not match category {input.Category}: remove {PackSourceKinds.Field(stray)} or change the category");
        }
    }

    private static IEnumerable<PackSourceKind> Present(PackBuildInput input)
    {
        if (input.HelmSource is not null)
        {
            yield return PackSourceKind.Helm;
        }
        if (input.RawSource is not null)
        {
            yield return PackSourceKind.Raw;
        }
        if (input.KustomizeSource is not null)
        {
            yield return PackSourceKind.Kustomize;
        }
    }
}
