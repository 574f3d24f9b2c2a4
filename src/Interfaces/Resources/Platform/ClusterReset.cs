using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.References;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

/// <summary>
/// Reset (wipe) one cluster; runs cluster-reset. A human gate applies: nothing happens until the annotation
/// <see cref="ApprovalAnnotation"/> is <c>"true"</c>.
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("creset")]
[PrinterColumn(1, "Cluster", ".spec.clusterRef.name")]
[PrinterColumn(2, "Approved", ".metadata.annotations.ontai\\.dev/reset-approved")]
public sealed class ClusterReset() : KubernetesResource<ClusterResetSpec, OperationalStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "ClusterReset";
    public const string Plural = "clusterresets";
    public const string ApprovalAnnotation = "ontai.dev/reset-approved";
}

public sealed record ClusterResetSpec
{
    [JsonPropertyName("clusterRef"), Required]
    public NamedRef ClusterRef { get; init; } = new();

    /// <summary>Seconds to drain before the reset; 0 resets without a graceful drain.</summary>
    [JsonPropertyName("drainGracePeriodSeconds"), Minimum(0)]
    public int? DrainGracePeriodSeconds { get; init; }
}
