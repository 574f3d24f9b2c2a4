using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.References;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

/// <summary>
/// A maintenance operation with its scheduling context resolved ahead of time by <c>compiler maintenance</c>: the
/// nodes it disrupts and the node running the operator leader, both kept free of its Jobs (compiler notes §5).
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("mb")]
[PrinterColumn(1, "Cluster", ".spec.clusterRef.name")]
[PrinterColumn(2, "Operation", ".spec.operation")]
[PrinterColumn(3, "Leader Node", ".spec.operatorLeaderNode", Priority = 1)]
public sealed class MaintenanceBundle() : KubernetesResource<MaintenanceBundleSpec, OperationalStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "MaintenanceBundle";
    public const string Plural = "maintenancebundles";
}

public sealed record MaintenanceBundleSpec
{
    [JsonPropertyName("clusterRef"), Required]
    public NamedRef ClusterRef { get; init; } = new();

    [JsonPropertyName("operation"), Required]
    public MaintenanceOperation Operation { get; init; }

    [JsonPropertyName("maintenanceTargetNodes")]
    public IReadOnlyList<string>? MaintenanceTargetNodes { get; init; }

    [JsonPropertyName("operatorLeaderNode")]
    public string? OperatorLeaderNode { get; init; }

    /// <summary>S3 configuration Secret; set for etcd-backup.</summary>
    [JsonPropertyName("s3ConfigSecretRef")]
    public NamespacedRef? S3ConfigSecretRef { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<MaintenanceOperation>))]
public enum MaintenanceOperation
{
    [JsonStringEnumMemberName("drain")] Drain,
    [JsonStringEnumMemberName("upgrade")] Upgrade,
    [JsonStringEnumMemberName("etcd-backup")] EtcdBackup,
    [JsonStringEnumMemberName("machineconfig-rotation")] MachineConfigRotation,
}
