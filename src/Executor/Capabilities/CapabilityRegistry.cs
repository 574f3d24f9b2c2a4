using System.Collections.Frozen;
using Conductor.Executor.Capabilities.PackDeploy;
using Conductor.Executor.Capabilities.RbacProvision;
using Conductor.Runner.Capabilities;

namespace Conductor.Executor.Capabilities;

/// <summary>
/// The static handler registry: exactly one handler per executable catalog name, and nothing else (a test keeps it
/// equal to the catalog). pack-compile is compile-only and never registered.
/// </summary>
public static class CapabilityRegistry
{
    private const string NeedsTalos = "the Talos machine-API adapter is not built yet";
    private const string NeedsTalosAndStorage = "the Talos machine-API and object-storage adapters are not built yet";
    private const string NeedsTargetAccess = "target-cluster operations for this capability are not built yet";

    private static readonly FrozenDictionary<string, ICapability> Handlers = Build(
    [
        new NotImplementedCapability(CapabilityNames.Bootstrap, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.TalosUpgrade, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.KubeUpgrade, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.StackUpgrade, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.NodePatch, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.NodeScaleUp, NeedsTargetAccess),
        new NotImplementedCapability(CapabilityNames.NodeDecommission, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.NodeReboot, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.EtcdBackup, NeedsTalosAndStorage),
        new NotImplementedCapability(CapabilityNames.EtcdDefrag, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.EtcdRestore, NeedsTalosAndStorage),
        new NotImplementedCapability(CapabilityNames.PkiRotate, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.CredentialRotate, NeedsTargetAccess),
        new NotImplementedCapability(CapabilityNames.HardeningApply, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.ClusterReset, NeedsTalos),
        new NotImplementedCapability(CapabilityNames.MachineConfigBackup, NeedsTalosAndStorage),
        new NotImplementedCapability(CapabilityNames.MachineConfigRestore, NeedsTalosAndStorage),
        new PackDeployCapability(PackRegistryAccess.Create),
        new RbacProvisionCapability(),
    ]);

    /// <summary>The registered names.</summary>
    public static IReadOnlyCollection<string> Names => Handlers.Keys;

    /// <summary>The handler for an exact capability name, or null when this image has none.</summary>
    public static ICapability? Resolve(string name) => Handlers.GetValueOrDefault(name);

    private static FrozenDictionary<string, ICapability> Build(IReadOnlyList<ICapability> handlers)
    {
        var byName = new Dictionary<string, ICapability>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            // A duplicate is a programming error in this file; fail at type initialisation, not in a Job.
            if (!byName.TryAdd(handler.Name, handler))
            {
                throw new InvalidOperationException($"capability {handler.Name} is registered twice");
            }
        }
        return byName.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
