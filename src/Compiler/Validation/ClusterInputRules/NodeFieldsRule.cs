using Conductor.Compiler.Bootstrap.Input;
using Conductor.Naming;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>At least one node; each has a hostname (an RFC 1123 label), an ip and a role of init/controlplane/worker.</summary>
internal sealed class NodeFieldsRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (context.Input.Bootstrap is null)
        {
            yield break;
        }
        var nodes = context.Input.Nodes;
        if (nodes.Count == 0)
        {
            yield return new("bootstrap.nodes", "must contain at least one node: {hostname, ip, role}");
            yield break;
        }
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var at = $"bootstrap.nodes[{i}]";
            if (string.IsNullOrEmpty(node.Hostname))
            {
                yield return new($"{at}.hostname", "hostname is required");
            }
            else if (!DnsLabel.IsValid(node.Hostname))
            {
                yield return new($"{at}.hostname",
                    $"'{node.Hostname}' is not a valid hostname: use lower-case letters, digits and '-' (it becomes part of a Secret name)");
            }
            if (string.IsNullOrEmpty(node.Ip))
            {
                yield return new($"{at}.ip", "ip is required");
            }
            if (!NodeRoles.All.Contains(node.Role))
            {
                yield return new($"{at}.role",
                    $"{(string.IsNullOrEmpty(node.Role) ? "role is required" : $"'{node.Role}' is not a role")}: " +
                    "role must be init, controlplane, or worker");
            }
        }
    }
}
