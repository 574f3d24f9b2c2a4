using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;
using Conductor.Resources.Seam;

namespace Conductor.Resources.Guardian;

/// <summary>
/// The permissions one principal holds on a set of clusters, granted as PermissionSets under an RBACPolicy
/// (compiler notes §3.5.3). Guardian provisions the RBAC and sets <c>status.provisioned</c>.
/// </summary>
[KubernetesEntity(Group = GuardianApi.Group, ApiVersion = GuardianApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("rbprof")]
[PrinterColumn(1, "Principal", ".spec.principalRef")]
[PrinterColumn(2, "Policy", ".spec.rbacPolicyRef")]
[PrinterColumn(3, "Provisioned", ".status.provisioned", Type = "boolean")]
public sealed class RBACProfile() : KubernetesResource<RBACProfileSpec, RBACProfileStatus>(GuardianApi.ApiVersion, KindName)
{
    public const string KindName = "RBACProfile";
    public const string Plural = "rbacprofiles";
}

public sealed record RBACProfileSpec
{
    /// <summary>The principal, for example <c>system:serviceaccount:ont-system:conductor</c>.</summary>
    [JsonPropertyName("principalRef"), Required, MinLength(1)]
    public string PrincipalRef { get; init; } = "";

    [JsonPropertyName("targetClusters"), Required]
    public IReadOnlyList<string> TargetClusters { get; init; } = [];

    [JsonPropertyName("rbacPolicyRef"), Required, MinLength(1)]
    public string RbacPolicyRef { get; init; } = "";

    [JsonPropertyName("permissionDeclarations")]
    public IReadOnlyList<PermissionDeclaration>? PermissionDeclarations { get; init; }

    [JsonPropertyName("domainIdentityRef")]
    public string? DomainIdentityRef { get; init; }

    [JsonPropertyName("lineage")]
    public SealedCausalChain? Lineage { get; init; }
}

/// <summary>One PermissionSet granted cluster-wide or in the listed namespaces.</summary>
public sealed record PermissionDeclaration
{
    [JsonPropertyName("permissionSetRef"), Required, MinLength(1)]
    public string PermissionSetRef { get; init; } = "";

    [JsonPropertyName("scope"), Required]
    public PermissionScope Scope { get; init; }

    /// <summary>Namespaces of a namespaced grant.</summary>
    [JsonPropertyName("namespaces")]
    public IReadOnlyList<string>? Namespaces { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<PermissionScope>))]
public enum PermissionScope
{
    [JsonStringEnumMemberName("cluster")] Cluster,
    [JsonStringEnumMemberName("namespaced")] Namespaced,
}

public sealed record RBACProfileStatus
{
    [JsonPropertyName("provisioned")]
    public bool? Provisioned { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
