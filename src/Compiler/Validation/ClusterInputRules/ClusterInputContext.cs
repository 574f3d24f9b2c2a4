using Conductor.Compiler.Bootstrap.Input;
using Conductor.Compiler.Talos;
using Conductor.Compiler.Talos.Import;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>
/// What the rules look at: the parsed input, where it came from, and the machine-config files it lists (read once,
/// relative paths against <paramref name="WorkingDirectory"/>).
/// </summary>
internal sealed class ClusterInputContext(ClusterInput input, string workingDirectory)
{
    private Dictionary<string, (ExistingMachineConfig? Config, string? Error)>? _machineConfigs;

    public ClusterInput Input { get; } = input;

    public string WorkingDirectory { get; } = workingDirectory;

    public bool IsImport => Input.Mode == ClusterModes.Import;

    /// <summary>The Talos version when it is present and supported, else null (the version rule reports why).</summary>
    public TalosVersion? TalosVersion => Talos.TalosVersion.TryParse(Input.Bootstrap?.TalosVersion, out _);

    /// <summary>Each <c>machineConfigPaths</c> entry, loaded, or the reason it could not be.</summary>
    public IReadOnlyDictionary<string, (ExistingMachineConfig? Config, string? Error)> MachineConfigs =>
        _machineConfigs ??= (Input.MachineConfigPaths ?? new Dictionary<string, string>())
            .ToDictionary(e => e.Key, e => Load(e.Value), StringComparer.Ordinal);

    /// <summary>
    /// The node whose machine config supplies the endpoint, the install disk and (on import) the secrets: the init node
    /// if it has an entry, else the first control-plane node with one.
    /// </summary>
    public NodeInput? SourceNode =>
        Input.Nodes.Where(n => n.Role == NodeRoles.Init && HasEntry(n)).Concat(
            Input.Nodes.Where(n => n.Role == NodeRoles.ControlPlane && HasEntry(n))).FirstOrDefault();

    public ExistingMachineConfig? SourceConfig => SourceNode is { Hostname: { } host } ? MachineConfigs[host].Config : null;

    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);

    private bool HasEntry(NodeInput node) => node.Hostname is { } host && (Input.MachineConfigPaths?.ContainsKey(host) ?? false);

    private (ExistingMachineConfig?, string?) Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return (null, "the path is empty");
        }
        try
        {
            return (ExistingMachineConfig.Load(ResolvePath(path)), null);
        }
        catch (MachineConfigImportException e)
        {
            return (null, $"'{path}': {e.Message}");
        }
    }
}
