using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.References;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

/// <summary>An upgrade of Talos, Kubernetes or both (stack) on one cluster; runs talos-upgrade, kube-upgrade or stack-upgrade.</summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("upol")]
[PrinterColumn(1, "Cluster", ".spec.clusterRef.name")]
[PrinterColumn(2, "Type", ".spec.upgradeType")]
[PrinterColumn(3, "Talos", ".spec.targetTalosVersion")]
[PrinterColumn(4, "Kubernetes", ".spec.targetKubernetesVersion")]
public sealed class UpgradePolicy() : KubernetesResource<UpgradePolicySpec, OperationalStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "UpgradePolicy";
    public const string Plural = "upgradepolicies";
}

public sealed record UpgradePolicySpec
{
    [JsonPropertyName("clusterRef"), Required]
    public NamedRef ClusterRef { get; init; } = new();

    [JsonPropertyName("upgradeType"), Required]
    public UpgradeType UpgradeType { get; init; }

    /// <summary>Talos version with its leading <c>v</c>; required for talos and stack upgrades.</summary>
    [JsonPropertyName("targetTalosVersion")]
    public string? TargetTalosVersion { get; init; }

    /// <summary>Kubernetes version without a leading <c>v</c>; required for kubernetes and stack upgrades.</summary>
    [JsonPropertyName("targetKubernetesVersion")]
    public string? TargetKubernetesVersion { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<UpgradeType>))]
public enum UpgradeType
{
    [JsonStringEnumMemberName("talos")] Talos,
    [JsonStringEnumMemberName("kubernetes")] Kubernetes,
    [JsonStringEnumMemberName("stack")] Stack,
}
