using Conductor.Resources.Seam;
using k8s.Models;

namespace Conductor.Grains.Tests.Sequencing;

/// <summary>RunnerConfigs for the sequencing tests.</summary>
internal static class Specs
{
    public static RunnerStep Step(string name, string capability = "etcd-defrag", bool halt = false, params string[] dependsOn) => new()
    {
        Name = name,
        Capability = capability,
        HaltOnFailure = halt,
        DependsOn = dependsOn.Length == 0 ? null : dependsOn,
    };

    public static RunnerConfig Config(params RunnerStep[] steps) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ccs-dev", NamespaceProperty = "ont-system", Uid = "uid-1", Generation = 1 },
        Spec = new RunnerConfigSpec { ClusterRef = "ccs-dev", AgentImage = "registry.local/conductor-exec:v1.9.3", Steps = steps },
    };
}
