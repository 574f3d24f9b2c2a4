using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Seam;

/// <summary>
/// Declares that an operator belongs to the Seam platform, under which identity and tier; written by
/// <c>compiler enable</c> for guardian, platform, wrapper, conductor and seam-core (compiler notes §3.4).
/// </summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("smem")]
[PrinterColumn(1, "Principal", ".spec.principalRef")]
[PrinterColumn(2, "Tier", ".spec.tier")]
[PrinterColumn(3, "Admitted", ".status.admitted", Type = "boolean")]
public sealed class SeamMembership() : KubernetesResource<SeamMembershipSpec, SeamMembershipStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "SeamMembership";
    public const string Plural = "seammemberships";
}

public sealed record SeamMembershipSpec
{
    /// <summary>The application identity of the member, for example <c>conductor</c>.</summary>
    [JsonPropertyName("appIdentityRef"), Required, MinLength(1)]
    public string AppIdentityRef { get; init; } = "";

    [JsonPropertyName("domainIdentityRef"), Required, MinLength(1)]
    public string DomainIdentityRef { get; init; } = "";

    /// <summary>The Kubernetes principal, <c>system:serviceaccount:{namespace}:{name}</c>.</summary>
    [JsonPropertyName("principalRef"), Required, MinLength(1)]
    public string PrincipalRef { get; init; } = "";

    [JsonPropertyName("tier"), Required]
    public MembershipTier Tier { get; init; }
}

public sealed record SeamMembershipStatus
{
    /// <summary>True once guardian has admitted the member and provisioned its RBAC.</summary>
    [JsonPropertyName("admitted")]
    public bool? Admitted { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}

/// <summary>Infrastructure members are the platform's own operators; application members run on it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MembershipTier>))]
public enum MembershipTier
{
    [JsonStringEnumMemberName("infrastructure")] Infrastructure,
    [JsonStringEnumMemberName("application")] Application,
}
