using Conductor.Compiler.Packs.Input;

namespace Conductor.Compiler.Validation;

/// <summary>
/// When a source is set, packbuild computes the digests and the checksum itself; values given for them would be
/// silently replaced, so they are errors.
/// </summary>
internal sealed class PackComputedFieldsRule : IInputRule<PackBuildDocument>
{
    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        var input = document.Input;
        var kind = PackSourceKinds.Resolve(input);
        if (kind == PackSourceKind.Prebuilt)
        {
            yield break;
        }
        foreach (var (field, value) in new[]
                 {
                     ("digest", input.Digest), ("checksum", input.Checksum), ("rbacDigest", input.RbacDigest),
                     ("clusterScopedDigest", input.ClusterScopedDigest), ("workloadDigest", input.WorkloadDigest),
                 })
        {
            if (!string.IsNullOrEmpty(value))
            {
                yield return new(field,
                    $"is computed when {PackSourceKinds.Field(kind)} is set: remove it, or remove {PackSourceKinds.Field(kind)} to record a prebuilt pack");
            }
        }
    }
}
