using System.Text.RegularExpressions;
using Conductor.Compiler.Packs.Input;

namespace Conductor.Compiler.Validation;

/// <summary>
/// A prebuilt pack (no source) brings its digests: <c>digest</c>, unless both <c>rbacDigest</c> and
/// <c>workloadDigest</c> are set (compiler.md §4.3 step 5). Every digest given is <c>sha256:</c> + 64 lowercase hex
/// digits, and <c>checksum</c> is 64 lowercase hex digits, the form pack-deploy verifies against.
/// </summary>
internal sealed partial class PackPrebuiltDigestRule : IInputRule<PackBuildDocument>
{
    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        var input = document.Input;
        if (PackSourceKinds.Resolve(input) != PackSourceKind.Prebuilt)
        {
            yield break;
        }

        if (string.IsNullOrEmpty(input.Digest) && (string.IsNullOrEmpty(input.RbacDigest) || string.IsNullOrEmpty(input.WorkloadDigest)))
        {
            yield return new("digest",
                "digest is required for a prebuilt pack unless both rbacDigest and workloadDigest are set: add the manifest digest (sha256:…), or set a source (rawSource) to build the layers");
        }
        foreach (var (field, value) in new[]
                 {
                     ("digest", input.Digest), ("rbacDigest", input.RbacDigest),
                     ("clusterScopedDigest", input.ClusterScopedDigest), ("workloadDigest", input.WorkloadDigest),
                 })
        {
            if (!string.IsNullOrEmpty(value) && !Digest().IsMatch(value))
            {
                yield return new(field, $"'{value}' is not an OCI manifest digest: write sha256: followed by 64 lowercase hex digits");
            }
        }
        if (!string.IsNullOrEmpty(input.Checksum) && !Checksum().IsMatch(input.Checksum))
        {
            yield return new("checksum",
                $"'{input.Checksum}' is not a SHA-256 checksum: write the 64 lowercase hex digits of the SHA-256 of the rbac, cluster-scoped and workload layers, without a prefix");
        }
    }

    [GeneratedRegex("^sha256:[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digest();

    [GeneratedRegex("^[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Checksum();
}
