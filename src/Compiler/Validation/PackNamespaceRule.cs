using Conductor.Compiler.Packs.Input;
using Conductor.Naming;

namespace Conductor.Compiler.Validation;

/// <summary><c>namespace</c>, when set, is a DNS-1123 label; it defaults to seam-system.</summary>
internal sealed class PackNamespaceRule : IInputRule<PackBuildDocument>
{
    public IEnumerable<InputViolation> Check(PackBuildDocument document)
    {
        var ns = document.Input.Namespace;
        if (!string.IsNullOrEmpty(ns) && !DnsLabel.IsValid(ns))
        {
            yield return new("namespace",
                $"'{ns}' is not a namespace name (DNS-1123 label: lowercase letters, digits and '-', at most 63 characters): fix it or leave it out for {PackBuildInput.DefaultNamespace}");
        }
    }
}
