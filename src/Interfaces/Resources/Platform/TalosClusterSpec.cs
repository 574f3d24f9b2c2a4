using System.Text.Json.Serialization;
using Conductor.Resources.References;
using Conductor.Resources.Schema;
using Conductor.Resources.Seam;

namespace Conductor.Resources.Platform;

public sealed record TalosClusterSpec
{
    [JsonPropertyName("mode"), Required]
    public ClusterMode Mode { get; init; }

    [JsonPropertyName("role")]
    public ClusterRole? Role { get; init; }

    /// <summary>Talos version with its leading <c>v</c>, for example <c>v1.9.3</c>.</summary>
    [JsonPropertyName("talosVersion")]
    public string? TalosVersion { get; init; }

    /// <summary>Kubernetes version without a leading <c>v</c>, for example <c>1.32.3</c>.</summary>
    [JsonPropertyName("kubernetesVersion")]
    public string? KubernetesVersion { get; init; }

    /// <summary>True while a version upgrade of the cluster is in progress.</summary>
    [JsonPropertyName("versionUpgrade")]
    public bool? VersionUpgrade { get; init; }

    /// <summary><c>host:port</c> of the Kubernetes API, without a scheme.</summary>
    [JsonPropertyName("clusterEndpoint")]
    public string? ClusterEndpoint { get; init; }

    [JsonPropertyName("nodeAddresses")]
    public IReadOnlyList<string>? NodeAddresses { get; init; }

    [JsonPropertyName("capi")]
    public CapiSpec? Capi { get; init; }

    [JsonPropertyName("infrastructureProvider")]
    public InfrastructureProvider? InfrastructureProvider { get; init; }

    [JsonPropertyName("kubeconfigSecretRef")]
    public NamespacedRef? KubeconfigSecretRef { get; init; }

    [JsonPropertyName("talosconfigSecretRef")]
    public NamespacedRef? TalosconfigSecretRef { get; init; }

    [JsonPropertyName("lineage")]
    public SealedCausalChain? Lineage { get; init; }

    /// <summary>Rotate the PKI when a certificate expires within this many days.</summary>
    [JsonPropertyName("pkiRotationThresholdDays"), Minimum(1)]
    public int? PkiRotationThresholdDays { get; init; }

    [JsonPropertyName("hardeningProfileRef")]
    public NamespacedRef? HardeningProfileRef { get; init; }
}

/// <summary>Cluster API provisioning of the cluster's machines.</summary>
public sealed record CapiSpec
{
    [JsonPropertyName("enabled"), Required]
    public bool Enabled { get; init; }

    [JsonPropertyName("talosVersion")]
    public string? TalosVersion { get; init; }

    [JsonPropertyName("kubernetesVersion")]
    public string? KubernetesVersion { get; init; }

    [JsonPropertyName("controlPlane")]
    public CapiControlPlane? ControlPlane { get; init; }

    [JsonPropertyName("workers")]
    public IReadOnlyList<CapiWorkerPool>? Workers { get; init; }

    /// <summary>The Cilium pack installed as the cluster's CNI.</summary>
    [JsonPropertyName("ciliumPackRef")]
    public CiliumPackRef? CiliumPackRef { get; init; }
}

public sealed record CapiControlPlane
{
    [JsonPropertyName("replicas"), Minimum(0)]
    public int? Replicas { get; init; }
}

public sealed record CapiWorkerPool
{
    [JsonPropertyName("name"), Required, MinLength(1)]
    public string Name { get; init; } = "";

    [JsonPropertyName("replicas"), Minimum(0)]
    public int? Replicas { get; init; }

    [JsonPropertyName("seamInfrastructureMachineNames")]
    public IReadOnlyList<string>? SeamInfrastructureMachineNames { get; init; }
}

public sealed record CiliumPackRef
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ClusterMode>))]
public enum ClusterMode
{
    [JsonStringEnumMemberName("bootstrap")] Bootstrap,
    [JsonStringEnumMemberName("import")] Import,
}

[JsonConverter(typeof(JsonStringEnumConverter<ClusterRole>))]
public enum ClusterRole
{
    [JsonStringEnumMemberName("management")] Management,
    [JsonStringEnumMemberName("tenant")] Tenant,
}

[JsonConverter(typeof(JsonStringEnumConverter<InfrastructureProvider>))]
public enum InfrastructureProvider
{
    [JsonStringEnumMemberName("native")] Native,
    [JsonStringEnumMemberName("capi")] Capi,
    [JsonStringEnumMemberName("screen")] Screen,
}
