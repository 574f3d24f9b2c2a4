using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.References;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

/// <summary>Rotate the PKI of one cluster and refresh its kubeconfig Secret; runs pki-rotate.</summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("pkir")]
[PrinterColumn(1, "Cluster", ".spec.clusterRef.name")]
public sealed class PKIRotation() : KubernetesResource<PKIRotationSpec, OperationalStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "PKIRotation";
    public const string Plural = "pkirotations";
}

public sealed record PKIRotationSpec
{
    [JsonPropertyName("clusterRef"), Required]
    public NamedRef ClusterRef { get; init; } = new();

    /// <summary>Why the rotation was requested, for the audit trail.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }
}
