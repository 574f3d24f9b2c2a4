using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;
using Conductor.Resources.Seam;

namespace Conductor.Resources.Dispatcher;

/// <summary>A request to deploy one PackDelivery version to one cluster; its Job runs the pack-deploy capability.</summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("pe")]
[PrinterColumn(1, "Pack", ".spec.clusterPackRef.name")]
[PrinterColumn(2, "Version", ".spec.clusterPackRef.version")]
[PrinterColumn(3, "Cluster", ".spec.targetClusterRef")]
[PrinterColumn(4, "Job", ".status.jobName", Priority = 1)]
public sealed class PackExecution() : KubernetesResource<PackExecutionSpec, PackExecutionStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "PackExecution";
    public const string Plural = "packexecutions";
}

public sealed record PackExecutionSpec
{
    [JsonPropertyName("clusterPackRef"), Required]
    public PackVersionRef ClusterPackRef { get; init; } = new();

    [JsonPropertyName("targetClusterRef"), Required, MinLength(1)]
    public string TargetClusterRef { get; init; } = "";

    [JsonPropertyName("admissionProfileRef")]
    public string? AdmissionProfileRef { get; init; }

    [JsonPropertyName("chartVersion")]
    public string? ChartVersion { get; init; }

    [JsonPropertyName("chartURL")]
    public string? ChartUrl { get; init; }

    [JsonPropertyName("chartName")]
    public string? ChartName { get; init; }

    [JsonPropertyName("helmVersion")]
    public string? HelmVersion { get; init; }

    [JsonPropertyName("lineage")]
    public SealedCausalChain? Lineage { get; init; }
}

/// <summary>A PackDelivery by name and version.</summary>
public sealed record PackVersionRef
{
    [JsonPropertyName("name"), Required, MinLength(1)]
    public string Name { get; init; } = "";

    [JsonPropertyName("version"), Required, MinLength(1)]
    public string Version { get; init; } = "";
}

public sealed record PackExecutionStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("jobName")]
    public string? JobName { get; init; }

    /// <summary>The PackOperationResult that recorded the deployment.</summary>
    [JsonPropertyName("operationResultRef")]
    public string? OperationResultRef { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
