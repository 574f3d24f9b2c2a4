using Conductor.Compiler.Talos.Secrets;

namespace Conductor.Compiler.Talos.MachineConfig;

/// <summary>The cluster-wide inputs of every node's machine config.</summary>
internal sealed record ClusterConfigInputs(
    string ClusterName,
    Uri Endpoint,
    TalosVersion TalosVersion,
    string KubernetesVersion,
    string InstallDisk,
    string InstallerImage,
    SecretsBundle Secrets);
