using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

/// <summary>
/// One Talos cluster of the fleet, bootstrapped or imported. <c>compiler bootstrap</c> writes it; the tenant agent
/// compares its versions with the nodes and reports drift (compiler notes §1.5.3, federation notes §5.8).
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("tc")]
[PrinterColumn(1, "Mode", ".spec.mode")]
[PrinterColumn(2, "Role", ".spec.role")]
[PrinterColumn(3, "Talos", ".spec.talosVersion")]
[PrinterColumn(4, "Kubernetes", ".spec.kubernetesVersion")]
[PrinterColumn(5, "Ready", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(6, "Endpoint", ".spec.clusterEndpoint", Priority = 1)]
public sealed class TalosCluster() : KubernetesResource<TalosClusterSpec, TalosClusterStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "TalosCluster";
    public const string Plural = "talosclusters";
}
