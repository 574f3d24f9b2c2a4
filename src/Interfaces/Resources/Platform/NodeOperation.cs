using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.References;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

/// <summary>Scale up, decommission or reboot nodes of one cluster; runs node-scale-up, node-decommission or node-reboot.</summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("nop")]
[PrinterColumn(1, "Cluster", ".spec.clusterRef.name")]
[PrinterColumn(2, "Operation", ".spec.operation")]
[PrinterColumn(3, "Replicas", ".spec.replicaCount", Type = "integer", Priority = 1)]
public sealed class NodeOperation() : KubernetesResource<NodeOperationSpec, OperationalStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "NodeOperation";
    public const string Plural = "nodeoperations";
}

public sealed record NodeOperationSpec
{
    [JsonPropertyName("clusterRef"), Required]
    public NamedRef ClusterRef { get; init; } = new();

    [JsonPropertyName("operation"), Required]
    public NodeOperationType Operation { get; init; }

    /// <summary>Node names; required for decommission and reboot.</summary>
    [JsonPropertyName("targetNodes")]
    public IReadOnlyList<string>? TargetNodes { get; init; }

    /// <summary>Desired node count; required for scale-up.</summary>
    [JsonPropertyName("replicaCount"), Minimum(1)]
    public int? ReplicaCount { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<NodeOperationType>))]
public enum NodeOperationType
{
    [JsonStringEnumMemberName("scale-up")] ScaleUp,
    [JsonStringEnumMemberName("decommission")] Decommission,
    [JsonStringEnumMemberName("reboot")] Reboot,
}
