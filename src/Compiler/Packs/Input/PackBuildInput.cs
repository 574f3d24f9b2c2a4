namespace Conductor.Compiler.Packs.Input;

/// <summary>
/// The PackBuild input (compiler.md §4.2): what to build, where to push it, and the PackDelivery to write. Exactly
/// one of the sources is set, or none for a prebuilt pack whose digests are given. Keys are matched exactly
/// (camelCase); any other key is an error.
/// </summary>
public sealed class PackBuildInput
{
    public const string DefaultNamespace = "seam-system";

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Version { get; set; }

    /// <summary><c>host[:port]/repository</c>; the layers are pushed here as tags <c>&lt;version&gt;-&lt;layer&gt;</c>.</summary>
    public string? RegistryUrl { get; set; }

    public string? Digest { get; set; }

    public string? Checksum { get; set; }

    public string? SourceBuildRef { get; set; }

    public List<string>? TargetClusters { get; set; }

    public string? RbacDigest { get; set; }

    public string? ClusterScopedDigest { get; set; }

    public string? WorkloadDigest { get; set; }

    public string? BasePackName { get; set; }

    /// <summary>Recorded in the PackDelivery as given; resolved against the input file's directory, it must exist.</summary>
    public string? ValuesFile { get; set; }

    /// <summary><c>helm</c>, <c>kustomize</c>, <c>raw</c>, or empty to infer from the source that is set.</summary>
    public string? Category { get; set; }

    public HelmSource? HelmSource { get; set; }

    public RawSource? RawSource { get; set; }

    public KustomizeSource? KustomizeSource { get; set; }
}
