using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Dispatcher;

/// <summary>
/// A pack version installed on one cluster (the reference's PackInstance), named
/// <c>{pack}-{cluster}</c> in <c>seam-tenant-{cluster}</c>. Management signs its spec for the tenant to verify.
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("pin")]
[PrinterColumn(1, "Pack", ".spec.clusterPackRef")]
[PrinterColumn(2, "Version", ".spec.version")]
[PrinterColumn(3, "Cluster", ".spec.targetClusterRef")]
[PrinterColumn(4, "Direction", ".status.upgradeDirection", Priority = 1)]
public sealed class PackInstalled() : KubernetesResource<PackInstalledSpec, PackInstalledStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "PackInstalled";
    public const string Plural = "packinstalleds";
}

public sealed record PackInstalledSpec
{
    [JsonPropertyName("clusterPackRef"), Required, MinLength(1)]
    public string ClusterPackRef { get; init; } = "";

    [JsonPropertyName("version"), Required, MinLength(1)]
    public string Version { get; init; } = "";

    [JsonPropertyName("targetClusterRef"), Required, MinLength(1)]
    public string TargetClusterRef { get; init; } = "";

    /// <summary>Packs that must be installed on the same cluster first.</summary>
    [JsonPropertyName("dependsOn")]
    public IReadOnlyList<string>? DependsOn { get; init; }

    [JsonPropertyName("dependencyPolicy")]
    public DependencyPolicy? DependencyPolicy { get; init; }

    [JsonPropertyName("chartVersion")]
    public string? ChartVersion { get; init; }

    [JsonPropertyName("chartURL")]
    public string? ChartUrl { get; init; }

    [JsonPropertyName("chartName")]
    public string? ChartName { get; init; }

    [JsonPropertyName("helmVersion")]
    public string? HelmVersion { get; init; }
}

public sealed record DependencyPolicy
{
    /// <summary>What a drifted dependency does to this pack (default Warn).</summary>
    [JsonPropertyName("onDrift"), Default("Warn")]
    public DriftResponse? OnDrift { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<DriftResponse>))]
public enum DriftResponse
{
    Block,
    Warn,
    Ignore,
}

public sealed record PackInstalledStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("deliveredAt")]
    public DateTimeOffset? DeliveredAt { get; init; }

    [JsonPropertyName("driftSummary")]
    public string? DriftSummary { get; init; }

    [JsonPropertyName("upgradeDirection")]
    public UpgradeDirection? UpgradeDirection { get; init; }

    [JsonPropertyName("deployedResources")]
    public IReadOnlyList<DeployedResource>? DeployedResources { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<UpgradeDirection>))]
public enum UpgradeDirection
{
    Initial,
    Upgrade,
    Rollback,
    Redeploy,
}
