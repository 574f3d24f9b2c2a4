using System.Net;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>No two nodes share a hostname or an IP address.</summary>
internal sealed class UniqueNodesRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        var nodes = context.Input.Nodes;
        var hostnames = new Dictionary<string, int>(StringComparer.Ordinal);
        var addresses = new Dictionary<IPAddress, int>();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Hostname is { Length: > 0 } host && !hostnames.TryAdd(host, i))
            {
                yield return new($"bootstrap.nodes[{i}].hostname",
                    $"hostname '{host}' is already used by bootstrap.nodes[{hostnames[host]}]; hostnames must be unique");
            }
            if (nodes[i].Ip is { Length: > 0 } ip && NodeAddressRule.IsLiteralAddress(ip) &&
                IPAddress.Parse(ip) is var address && !addresses.TryAdd(address, i))
            {
                yield return new($"bootstrap.nodes[{i}].ip",
                    $"ip {ip} is already used by bootstrap.nodes[{addresses[address]}]; node addresses must be unique");
            }
        }
    }
}
