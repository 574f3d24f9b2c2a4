using Conductor.Naming;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary><c>namespace</c>, when set, must be a valid namespace name.</summary>
internal sealed class NamespaceRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (context.Input.Namespace is { } ns && !DnsLabel.IsValid(ns))
        {
            yield return new("namespace", $"'{ns}' is not a valid namespace name; omit it to use seam-system");
        }
    }
}
