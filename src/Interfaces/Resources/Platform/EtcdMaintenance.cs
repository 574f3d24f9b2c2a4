using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.References;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

/// <summary>Back up, defragment or restore etcd of one cluster; runs etcd-backup, etcd-defrag or etcd-restore.</summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("etcdm")]
[PrinterColumn(1, "Cluster", ".spec.clusterRef.name")]
[PrinterColumn(2, "Operation", ".spec.operation")]
public sealed class EtcdMaintenance() : KubernetesResource<EtcdMaintenanceSpec, OperationalStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "EtcdMaintenance";
    public const string Plural = "etcdmaintenances";
}

public sealed record EtcdMaintenanceSpec
{
    [JsonPropertyName("clusterRef"), Required]
    public NamedRef ClusterRef { get; init; } = new();

    [JsonPropertyName("operation"), Required]
    public EtcdOperation Operation { get; init; }

    /// <summary>Where a backup goes; the key defaults to <c>etcd-backup-{cluster}-{timestamp}.snapshot</c>.</summary>
    [JsonPropertyName("s3Destination")]
    public S3Location? S3Destination { get; init; }

    /// <summary>The snapshot a restore reads; bucket and key are both needed.</summary>
    [JsonPropertyName("s3SnapshotPath")]
    public S3Location? S3SnapshotPath { get; init; }
}

public sealed record S3Location
{
    [JsonPropertyName("bucket"), Required, MinLength(1)]
    public string Bucket { get; init; } = "";

    [JsonPropertyName("key")]
    public string? Key { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<EtcdOperation>))]
public enum EtcdOperation
{
    [JsonStringEnumMemberName("backup")] Backup,
    [JsonStringEnumMemberName("defrag")] Defrag,
    [JsonStringEnumMemberName("restore")] Restore,
}
