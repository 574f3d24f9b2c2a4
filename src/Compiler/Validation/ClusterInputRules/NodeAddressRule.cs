using System.Net;
using System.Net.Sockets;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>Each node <c>ip</c> is a literal IPv4 (dotted quad) or IPv6 address.</summary>
internal sealed class NodeAddressRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        var nodes = context.Input.Nodes;
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Ip is { Length: > 0 } ip && !IsLiteralAddress(ip))
            {
                yield return new($"bootstrap.nodes[{i}].ip", $"'{ip}' is not an IP address; write it as 10.0.0.11 or fd00::11");
            }
        }
    }

    /// <summary>Stricter than <see cref="IPAddress.TryParse(string, out IPAddress)"/>, which accepts "10" or "1.2".</summary>
    public static bool IsLiteralAddress(string text)
    {
        if (!IPAddress.TryParse(text, out var address))
        {
            return false;
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? text.Contains(':') && !text.Contains('%')
            : text.Split('.').Length == 4 && address.ToString() == text;
    }
}
