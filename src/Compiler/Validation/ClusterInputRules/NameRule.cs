using Conductor.Compiler.Bootstrap;
using Conductor.Naming;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary><c>name</c> is required and must fit in the namespace <c>seam-tenant-{name}</c> (an RFC 1123 label).</summary>
internal sealed class NameRule : IClusterInputRule
{
    private static readonly int MaxLength = DnsLabel.MaxLength - BootstrapNames.TenantNamespacePrefix.Length;

    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        var name = context.Input.Name;
        if (string.IsNullOrEmpty(name))
        {
            yield return new("name", "name is required: the cluster name, used for the TalosCluster and every Secret name");
        }
        else if (!DnsLabel.IsValid(name) || name.Length > MaxLength)
        {
            yield return new("name",
                $"'{name}' is not a valid cluster name: use lower-case letters, digits and '-', at most {MaxLength} characters, " +
                $"so that namespace {BootstrapNames.TenantNamespacePrefix}{{name}} is a valid name");
        }
    }
}
