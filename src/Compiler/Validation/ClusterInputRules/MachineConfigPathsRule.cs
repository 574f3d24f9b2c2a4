namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>Every <c>machineConfigPaths</c> key is a declared node, and every file exists and is a Talos machine config.</summary>
internal sealed class MachineConfigPathsRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        var hostnames = context.Input.Nodes.Select(n => n.Hostname).ToHashSet(StringComparer.Ordinal);
        foreach (var (host, (_, error)) in context.MachineConfigs.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!hostnames.Contains(host))
            {
                yield return new($"machineConfigPaths.{host}", $"'{host}' is not the hostname of any node in bootstrap.nodes");
            }
            if (error is not null)
            {
                yield return new($"machineConfigPaths.{host}", error);
            }
        }
    }
}
