using Conductor.Components;

namespace Conductor.Compiler.Components.Discovery;

/// <summary>A Deployment or DaemonSet seen on the cluster, with its own labels and its pod template's.</summary>
public sealed record ObservedWorkload(
    WorkloadKind Kind,
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> PodLabels)
{
    public override string ToString() => $"{Kind}/{Name}";
}
