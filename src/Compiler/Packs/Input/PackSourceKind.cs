namespace Conductor.Compiler.Packs.Input;

/// <summary>Which build path a PackBuild input takes (compiler.md §4.3 step 6).</summary>
public enum PackSourceKind
{
    /// <summary>No source: digests and checksum come from the input; nothing is pushed.</summary>
    Prebuilt,
    Helm,
    Raw,
    Kustomize,
}

public static class PackSourceKinds
{
    public const string HelmCategory = "helm";
    public const string RawCategory = "raw";
    public const string KustomizeCategory = "kustomize";

    public static readonly IReadOnlyList<string> Categories = [HelmCategory, KustomizeCategory, RawCategory];

    /// <summary>The category when set, else the first source present (helm, raw, kustomize), else prebuilt.</summary>
    public static PackSourceKind Resolve(PackBuildInput input) => input.Category switch
    {
        HelmCategory => PackSourceKind.Helm,
        RawCategory => PackSourceKind.Raw,
        KustomizeCategory => PackSourceKind.Kustomize,
        _ when input.HelmSource is not null => PackSourceKind.Helm,
        _ when input.RawSource is not null => PackSourceKind.Raw,
        _ when input.KustomizeSource is not null => PackSourceKind.Kustomize,
        _ => PackSourceKind.Prebuilt,
    };

    /// <summary>The input field of the source, e.g. <c>rawSource</c>.</summary>
    public static string Field(PackSourceKind kind) => kind switch
    {
        PackSourceKind.Helm => "helmSource",
        PackSourceKind.Raw => "rawSource",
        PackSourceKind.Kustomize => "kustomizeSource",
        _ => "",
    };
}
