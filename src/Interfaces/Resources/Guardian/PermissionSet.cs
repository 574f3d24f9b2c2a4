using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;
using Conductor.Resources.Seam;

namespace Conductor.Resources.Guardian;

/// <summary>A named set of RBAC rules that RBACPolicies cap and RBACProfiles grant.</summary>
[KubernetesEntity(Group = GuardianApi.Group, ApiVersion = GuardianApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("pset")]
[PrinterColumn(1, "Description", ".spec.description", Priority = 1)]
public sealed class PermissionSet() : KubernetesResource<PermissionSetSpec, GuardianStatus>(GuardianApi.ApiVersion, KindName)
{
    public const string KindName = "PermissionSet";
    public const string Plural = "permissionsets";
}

public sealed record PermissionSetSpec
{
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("permissions"), Required]
    public IReadOnlyList<PermissionRule> Permissions { get; init; } = [];

    [JsonPropertyName("lineage")]
    public SealedCausalChain? Lineage { get; init; }
}

/// <summary>Status shared by the guardian policy kinds.</summary>
public sealed record GuardianStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
