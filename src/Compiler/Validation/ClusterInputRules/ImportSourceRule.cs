using Conductor.Compiler.Talos.Import;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>
/// <c>mode: import</c> reuses the cluster's PKI, so <c>machineConfigPaths</c> must list the init (or a controlplane)
/// node's machine config, and that config must hold the complete secrets bundle.
/// </summary>
internal sealed class ImportSourceRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (!context.IsImport || context.Input.Nodes.Count == 0)
        {
            yield break;
        }
        if (context.SourceNode is not { Hostname: { } host })
        {
            var init = context.Input.Nodes.FirstOrDefault(n => n.Role == Bootstrap.Input.NodeRoles.Init)?.Hostname;
            yield return new("machineConfigPaths",
                init is not null
                    ? $"mode: import needs the machine config of init node \"{init}\": add '{init}: <path>' to machineConfigPaths"
                    : "mode: import needs the machine config of a controlplane node in machineConfigPaths, to reuse the cluster's CAs");
            yield break;
        }
        if (context.MachineConfigs[host].Config is not { } config)
        {
            yield break;
        }
        var errors = new List<string>();
        SecretsBundleImport.TryExtract(config, errors);
        foreach (var error in errors)
        {
            yield return new($"machineConfigPaths.{host}", $"'{context.Input.MachineConfigPaths![host]}': {error}");
        }
    }
}
