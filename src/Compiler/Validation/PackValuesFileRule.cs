using Conductor.Compiler.Packs.Input;

namespace Conductor.Compiler.Validation;

/// <summary>
/// <c>valuesFile</c> (and <c>helmSource.valuesFile</c>) name files that exist, resolved against the input file's
/// directory: the PackDelivery records the name for traceability, so it must not point at nothing.
/// </summary>
internal sealed class PackValuesFileRule : IInputRule<PackBuildDocument>
{
    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        foreach (var (field, value) in new[] { ("valuesFile", document.Input.ValuesFile), ("helmSource.valuesFile", document.Input.HelmSource?.ValuesFile) })
        {
            if (!string.IsNullOrEmpty(value) && !File.Exists(document.Resolve(value)))
            {
                yield return new(field,
                    $"values file '{document.Resolve(value)}' does not exist (rule: a relative path is resolved against the input file's directory): fix the path or remove {field}");
            }
        }
    }
}
