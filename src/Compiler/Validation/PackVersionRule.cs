using System.Text.RegularExpressions;
using Conductor.Compiler.Packs.Input;

namespace Conductor.Compiler.Validation;

/// <summary><c>version</c> is required and prefixes the layer tags (<c>&lt;version&gt;-cluster-scoped</c>), so it must make valid OCI tags.</summary>
internal sealed partial class PackVersionRule : IInputRule<PackBuildDocument>
{
    // The longest tag suffix packbuild appends is "-cluster-scoped"; an OCI tag is at most 128 characters.
    private const int MaxLength = 128 - 15;

    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        var version = document.Input.Version;
        if (string.IsNullOrWhiteSpace(version))
        {
            yield return new("version", "is required: it is spec.version and the prefix of the layer tags; add e.g. 'version: v0.1.0-r1'");
        }
        else if (version.Length > MaxLength || !TagPrefix().IsMatch(version))
        {
            yield return new("version",
                $"'{version}' cannot prefix an OCI tag: use up to {MaxLength} characters of [A-Za-z0-9_.-], not starting with '.' or '-'");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPrefix();
}
