using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;
using Conductor.Resources.Seam;

namespace Conductor.Resources.Guardian;

/// <summary>
/// The ceiling on what RBACProfiles under it may grant (a maximum PermissionSet), where, and whether violations are
/// only audited or denied.
/// </summary>
[KubernetesEntity(Group = GuardianApi.Group, ApiVersion = GuardianApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("rbpol")]
[PrinterColumn(1, "Scope", ".spec.subjectScope")]
[PrinterColumn(2, "Enforcement", ".spec.enforcementMode")]
[PrinterColumn(3, "Maximum", ".spec.maximumPermissionSetRef")]
public sealed class RBACPolicy() : KubernetesResource<RBACPolicySpec, GuardianStatus>(GuardianApi.ApiVersion, KindName)
{
    public const string KindName = "RBACPolicy";
    public const string Plural = "rbacpolicies";
}

public sealed record RBACPolicySpec
{
    [JsonPropertyName("subjectScope"), Required]
    public SubjectScope SubjectScope { get; init; }

    [JsonPropertyName("enforcementMode"), Required]
    public EnforcementMode EnforcementMode { get; init; }

    /// <summary>Name of the PermissionSet no profile under this policy may exceed.</summary>
    [JsonPropertyName("maximumPermissionSetRef"), Required, MinLength(1)]
    public string MaximumPermissionSetRef { get; init; } = "";

    /// <summary>Clusters the policy applies to; absent means every cluster.</summary>
    [JsonPropertyName("allowedClusters")]
    public IReadOnlyList<string>? AllowedClusters { get; init; }

    [JsonPropertyName("lineage")]
    public SealedCausalChain? Lineage { get; init; }
}

/// <summary>Platform subjects are the Seam operators; tenant subjects are workloads on tenant clusters.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubjectScope>))]
public enum SubjectScope
{
    [JsonStringEnumMemberName("platform")] Platform,
    [JsonStringEnumMemberName("tenant")] Tenant,
}

[JsonConverter(typeof(JsonStringEnumConverter<EnforcementMode>))]
public enum EnforcementMode
{
    [JsonStringEnumMemberName("audit")] Audit,
    [JsonStringEnumMemberName("strict")] Strict,
}
