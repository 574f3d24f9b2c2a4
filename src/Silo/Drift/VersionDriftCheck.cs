using Conductor.Resources;
using Conductor.Resources.Platform;
using Conductor.Resources.Seam;
using k8s.Models;

namespace Conductor.Silo.Drift;

/// <summary>
/// Version drift (agent notes §3.8): the TalosCluster's desired Talos and Kubernetes versions against what the nodes
/// report. Nothing is judged when the desired version is empty, no node reports one, or the nodes disagree (an
/// upgrade is under way). Talos versions keep their v, Kubernetes versions drop it, as the reference compares them.
/// </summary>
public static class VersionDriftCheck
{
    /// <summary>The Talos and Kubernetes observations that can be judged (zero, one or two).</summary>
    public static IReadOnlyList<DriftObservation> Check(string cluster, TalosCluster? desired, IReadOnlyList<V1Node> nodes)
    {
        if (desired is null || nodes.Count == 0)
        {
            return [];
        }
        var affected = new AffectedObjectRef
        {
            Group = SeamApi.Group,
            Kind = TalosCluster.KindName,
            Namespace = desired.Metadata.NamespaceProperty,
            Name = desired.Metadata.Name,
        };
        var observations = new List<DriftObservation>(2);
        if (Judge(desired.Spec.TalosVersion, NodeVersions.Agreed(nodes, i => NodeVersions.Talos(i.OsImage))) is { } talos)
        {
            observations.Add(new DriftObservation(DriftNames.TalosSignal(cluster), talos.Drifted,
                $"talos version drift: spec={desired.Spec.TalosVersion} observed={talos.Observed}", affected, $"version-{cluster}-"));
        }
        if (Judge(desired.Spec.KubernetesVersion, NodeVersions.Agreed(nodes, i => NodeVersions.Kubernetes(i.KubeletVersion))) is { } kubernetes)
        {
            observations.Add(new DriftObservation(DriftNames.KubernetesSignal(cluster), kubernetes.Drifted,
                $"kubernetes version drift: spec={desired.Spec.KubernetesVersion} observed={kubernetes.Observed}", affected, $"k8s-version-{cluster}-"));
        }
        return observations;
    }

    private static (bool Drifted, string Observed)? Judge(string? desired, string? observed) =>
        string.IsNullOrEmpty(desired) || observed is null ? null : (!string.Equals(desired, observed, StringComparison.Ordinal), observed);
}
