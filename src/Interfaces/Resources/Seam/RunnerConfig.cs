using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Seam;

/// <summary>
/// The execution contract for one cluster: the agent image, the ordered steps to run as Jobs, and, in status,
/// the capability manifest the agent declared and the result of every step. Lives in <c>ont-system</c>, named
/// after the cluster (federation-execute notes §5.1, DESIGN §2).
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("rc")]
[PrinterColumn(1, "Cluster", ".spec.clusterRef")]
[PrinterColumn(2, "Phase", ".status.phase")]
[PrinterColumn(3, "Failed Step", ".status.failedStep", Priority = 1)]
[PrinterColumn(4, "Agent", ".status.agentVersion", Priority = 1)]
public sealed class RunnerConfig() : KubernetesResource<RunnerConfigSpec, RunnerConfigStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "RunnerConfig";
    public const string Plural = "runnerconfigs";
}
