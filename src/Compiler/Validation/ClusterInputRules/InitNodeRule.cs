using Conductor.Compiler.Bootstrap.Input;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>
/// Exactly one <c>init</c> node when bootstrapping (it seeds etcd). On import the running cluster may no longer have
/// an init node, so at most one is allowed there.
/// </summary>
internal sealed class InitNodeRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        var nodes = context.Input.Nodes;
        if (nodes.Count == 0)
        {
            yield break;
        }
        var inits = nodes.Select((n, i) => (n, i)).Where(x => x.n.Role == NodeRoles.Init).Select(x => $"bootstrap.nodes[{x.i}]").ToList();
        if (inits.Count > 1)
        {
            yield return new("bootstrap.nodes",
                $"exactly one node must have role \"init\", found {inits.Count} ({string.Join(", ", inits)}); make the others controlplane");
        }
        else if (inits.Count == 0 && !context.IsImport)
        {
            yield return new("bootstrap.nodes",
                "exactly one node must have role \"init\", found 0: the init node seeds etcd when the cluster forms");
        }
    }
}
