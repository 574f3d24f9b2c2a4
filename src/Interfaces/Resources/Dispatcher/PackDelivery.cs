using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;
using Conductor.Resources.Seam;

namespace Conductor.Resources.Dispatcher;

/// <summary>
/// A built, pushed pack ready for delivery (the reference's ClusterPack): the OCI layers, their digests, and the
/// clusters it targets. Written by <c>compiler packbuild</c>; the spec is immutable once signed.
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("pd")]
[PrinterColumn(1, "Version", ".spec.version")]
[PrinterColumn(2, "Signed", ".status.signed", Type = "boolean")]
[PrinterColumn(3, "Chart", ".spec.chartName", Priority = 1)]
public sealed class PackDelivery() : KubernetesResource<PackDeliverySpec, PackDeliveryStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "PackDelivery";
    public const string Plural = "packdeliveries";
}

public sealed record PackDeliverySpec
{
    [JsonPropertyName("version"), Required, MinLength(1)]
    public string Version { get; init; } = "";

    [JsonPropertyName("registryRef"), Required]
    public RegistryRef RegistryRef { get; init; } = new();

    /// <summary>Lowercase hex SHA-256 of the rbac, cluster-scoped and workload layers concatenated.</summary>
    [JsonPropertyName("checksum")]
    public string? Checksum { get; init; }

    [JsonPropertyName("rbacDigest")]
    public string? RbacDigest { get; init; }

    [JsonPropertyName("workloadDigest")]
    public string? WorkloadDigest { get; init; }

    [JsonPropertyName("clusterScopedDigest")]
    public string? ClusterScopedDigest { get; init; }

    [JsonPropertyName("sourceBuildRef")]
    public string? SourceBuildRef { get; init; }

    [JsonPropertyName("executionOrder")]
    public IReadOnlyList<ExecutionStage>? ExecutionOrder { get; init; }

    [JsonPropertyName("provenance")]
    public PackProvenance? Provenance { get; init; }

    [JsonPropertyName("basePackName")]
    public string? BasePackName { get; init; }

    [JsonPropertyName("targetClusters")]
    public IReadOnlyList<string>? TargetClusters { get; init; }

    [JsonPropertyName("chartVersion")]
    public string? ChartVersion { get; init; }

    [JsonPropertyName("chartURL")]
    public string? ChartUrl { get; init; }

    [JsonPropertyName("chartName")]
    public string? ChartName { get; init; }

    [JsonPropertyName("helmVersion")]
    public string? HelmVersion { get; init; }

    [JsonPropertyName("valuesFile")]
    public string? ValuesFile { get; init; }

    [JsonPropertyName("lifecyclePolicies")]
    public LifecyclePolicies? LifecyclePolicies { get; init; }

    [JsonPropertyName("lineage")]
    public SealedCausalChain? Lineage { get; init; }

    /// <summary>When set, redeploy the pack from this earlier PackOperationResult revision.</summary>
    [JsonPropertyName("rollbackToRevision"), Minimum(1)]
    public long? RollbackToRevision { get; init; }
}

/// <summary>The OCI manifest the pack was pushed as; <see cref="Digest"/> may be empty for layered packs.</summary>
public sealed record RegistryRef
{
    /// <summary><c>host[:port]/repository</c>.</summary>
    [JsonPropertyName("url"), Required, MinLength(1)]
    public string Url { get; init; } = "";

    [JsonPropertyName("digest"), Required]
    public string Digest { get; init; } = "";
}

/// <summary>One stage of a pack deployment, applied in order.</summary>
public sealed record ExecutionStage
{
    [JsonPropertyName("name"), Required]
    public ExecutionStageName Name { get; init; }

    [JsonPropertyName("manifests")]
    public IReadOnlyList<string>? Manifests { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ExecutionStageName>))]
public enum ExecutionStageName
{
    [JsonStringEnumMemberName("rbac")] Rbac,
    [JsonStringEnumMemberName("storage")] Storage,
    [JsonStringEnumMemberName("stateful")] Stateful,
    [JsonStringEnumMemberName("stateless")] Stateless,
}

/// <summary>Where and when the pack was built.</summary>
public sealed record PackProvenance
{
    [JsonPropertyName("buildID")]
    public string? BuildId { get; init; }

    [JsonPropertyName("buildTimestamp")]
    public DateTimeOffset? BuildTimestamp { get; init; }

    [JsonPropertyName("sourceRef")]
    public string? SourceRef { get; init; }
}

public sealed record LifecyclePolicies
{
    /// <summary>Keep the deployed objects when the pack is deleted (default true).</summary>
    [JsonPropertyName("retainOnDeletion"), Default(true)]
    public bool? RetainOnDeletion { get; init; }
}

public sealed record PackDeliveryStatus
{
    [JsonPropertyName("signed")]
    public bool? Signed { get; init; }

    /// <summary>Base64 Ed25519 signature of the canonical spec by the management signing key.</summary>
    [JsonPropertyName("packSignature"), Format("byte")]
    public string? PackSignature { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
