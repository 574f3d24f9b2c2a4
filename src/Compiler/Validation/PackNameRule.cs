using Conductor.Compiler.Packs.Input;
using Conductor.Naming;

namespace Conductor.Compiler.Validation;

/// <summary><c>name</c> is required and names the PackDelivery and its file, so it must be a DNS-1123 subdomain.</summary>
internal sealed class PackNameRule : IInputRule<PackBuildDocument>
{
    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        var name = document.Input.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            yield return new("name", "is required: it names the PackDelivery and the output file; add e.g. 'name: minio-raw-v0.1.0-r1'");
        }
        else if (!DnsSubdomain.IsValid(name))
        {
            yield return new("name", $"'{name}' is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.'; at most 253 characters): rename it");
        }
    }
}
