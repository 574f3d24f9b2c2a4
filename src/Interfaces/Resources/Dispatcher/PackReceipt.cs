using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Dispatcher;

/// <summary>
/// The tenant's record of a pack it received, in <c>ont-system</c> on the tenant cluster: what was delivered and
/// whether the management signature verified. Acknowledged only after verification.
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("prc")]
[PrinterColumn(1, "Pack", ".spec.clusterPackRef")]
[PrinterColumn(2, "Cluster", ".spec.targetClusterRef")]
[PrinterColumn(3, "Verified", ".status.verified", Type = "boolean")]
[PrinterColumn(4, "Acknowledged", ".status.acknowledged", Type = "boolean")]
public sealed class PackReceipt() : KubernetesResource<PackReceiptSpec, PackReceiptStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "PackReceipt";
    public const string Plural = "packreceipts";
}

public sealed record PackReceiptSpec
{
    [JsonPropertyName("packInstanceRef")]
    public string? PackInstanceRef { get; init; }

    /// <summary>The signed artifact Secret, <c>seam-pack-signed-{cluster}-{packInstalled}</c>.</summary>
    [JsonPropertyName("signatureRef")]
    public string? SignatureRef { get; init; }

    [JsonPropertyName("clusterPackRef"), Required, MinLength(1)]
    public string ClusterPackRef { get; init; } = "";

    [JsonPropertyName("targetClusterRef"), Required, MinLength(1)]
    public string TargetClusterRef { get; init; } = "";

    [JsonPropertyName("rbacDigest")]
    public string? RbacDigest { get; init; }

    [JsonPropertyName("workloadDigest")]
    public string? WorkloadDigest { get; init; }

    [JsonPropertyName("chartVersion")]
    public string? ChartVersion { get; init; }

    [JsonPropertyName("chartURL")]
    public string? ChartUrl { get; init; }

    [JsonPropertyName("chartName")]
    public string? ChartName { get; init; }

    [JsonPropertyName("helmVersion")]
    public string? HelmVersion { get; init; }

    /// <summary>The inventory; objects no longer listed after an upgrade are deleted as orphans.</summary>
    [JsonPropertyName("deployedResources")]
    public IReadOnlyList<DeployedResource>? DeployedResources { get; init; }
}

/// <summary>
/// Verification outcome. The reference's CRD lacked acknowledged/degradedSecurityState, so the API server pruned
/// them and receipts were re-verified forever; they are part of the schema here.
/// </summary>
public sealed record PackReceiptStatus
{
    [JsonPropertyName("verified")]
    public bool? Verified { get; init; }

    /// <summary>The base64 management signature that was verified.</summary>
    [JsonPropertyName("signature"), Format("byte")]
    public string? Signature { get; init; }

    [JsonPropertyName("verificationFailedReason")]
    public string? VerificationFailedReason { get; init; }

    [JsonPropertyName("acknowledged")]
    public bool? Acknowledged { get; init; }

    [JsonPropertyName("degradedSecurityState")]
    public bool? DegradedSecurityState { get; init; }

    [JsonPropertyName("degradedReason")]
    public string? DegradedReason { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
