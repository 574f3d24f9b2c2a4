using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;
using Conductor.Resources.Seam;

namespace Conductor.Resources.Guardian;

/// <summary>
/// The effective permissions of every principal on one cluster, signed by management and pulled by the tenant
/// agent, whose PermissionService answers authorisation questions from it (agent notes §3.5, §3.12).
/// </summary>
[KubernetesEntity(Group = GuardianApi.Group, ApiVersion = GuardianApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("psn")]
[PrinterColumn(1, "Cluster", ".spec.targetCluster")]
[PrinterColumn(2, "Version", ".spec.version")]
[PrinterColumn(3, "Signed", ".status.signed", Type = "boolean")]
[PrinterColumn(4, "Acked", ".status.lastAckedVersion", Priority = 1)]
public sealed class PermissionSnapshot() : KubernetesResource<PermissionSnapshotSpec, PermissionSnapshotStatus>(GuardianApi.ApiVersion, KindName)
{
    public const string KindName = "PermissionSnapshot";
    public const string Plural = "permissionsnapshots";
}

public sealed record PermissionSnapshotSpec
{
    [JsonPropertyName("targetCluster"), Required, MinLength(1)]
    public string TargetCluster { get; init; } = "";

    /// <summary>Version label of the snapshot (an ISO 8601 timestamp by convention).</summary>
    [JsonPropertyName("version"), Required, MinLength(1)]
    public string Version { get; init; } = "";

    [JsonPropertyName("generatedAt")]
    public DateTimeOffset? GeneratedAt { get; init; }

    [JsonPropertyName("snapshotTimestamp")]
    public DateTimeOffset? SnapshotTimestamp { get; init; }

    [JsonPropertyName("signingKeyFingerprint")]
    public string? SigningKeyFingerprint { get; init; }

    /// <summary>How long the tenant may serve decisions from this snapshot without a fresher one (default 300).</summary>
    [JsonPropertyName("freshnessWindowSeconds"), Default(300), Minimum(1)]
    public int? FreshnessWindowSeconds { get; init; }

    /// <summary>Permissions per subject; expanded into <see cref="PrincipalPermissions"/> when present.</summary>
    [JsonPropertyName("subjects")]
    public IReadOnlyList<SnapshotSubject>? Subjects { get; init; }

    [JsonPropertyName("principalPermissions")]
    public IReadOnlyList<PrincipalPermissions>? PrincipalPermissions { get; init; }

    [JsonPropertyName("lineage")]
    public SealedCausalChain? Lineage { get; init; }
}

public sealed record SnapshotSubject
{
    [JsonPropertyName("subjectName"), Required, MinLength(1)]
    public string SubjectName { get; init; } = "";

    [JsonPropertyName("subjectKind"), Required]
    public SubjectKind SubjectKind { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("permissions")]
    public IReadOnlyList<PermissionRule>? Permissions { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<SubjectKind>))]
public enum SubjectKind
{
    ServiceAccount,
    User,
    Group,
}

/// <summary>What one principal may do, as a flat list of operations.</summary>
public sealed record PrincipalPermissions
{
    [JsonPropertyName("principalRef"), Required, MinLength(1)]
    public string PrincipalRef { get; init; } = "";

    [JsonPropertyName("allowedOperations")]
    public IReadOnlyList<AllowedOperation>? AllowedOperations { get; init; }
}

/// <summary>Verbs on one resource of one API group; <see cref="Clusters"/> absent or empty means every cluster.</summary>
public sealed record AllowedOperation
{
    [JsonPropertyName("apiGroup"), Required]
    public string ApiGroup { get; init; } = "";

    [JsonPropertyName("resource"), Required, MinLength(1)]
    public string Resource { get; init; } = "";

    [JsonPropertyName("verbs"), Required]
    public IReadOnlyList<string> Verbs { get; init; } = [];

    [JsonPropertyName("clusters")]
    public IReadOnlyList<string>? Clusters { get; init; }
}

public sealed record PermissionSnapshotStatus
{
    [JsonPropertyName("expectedVersion")]
    public string? ExpectedVersion { get; init; }

    [JsonPropertyName("lastAckedVersion")]
    public string? LastAckedVersion { get; init; }

    /// <summary>
    /// SignatureDigest of the signature annotation the tenant acknowledged with <see cref="LastAckedVersion"/>; a
    /// re-signature of the same version (key rotation) differs here and is pushed again.
    /// </summary>
    [JsonPropertyName("lastAckedSignatureDigest")]
    public string? LastAckedSignatureDigest { get; init; }

    /// <summary>What differs between the expected and the acknowledged version, when they differ.</summary>
    [JsonPropertyName("drift")]
    public string? Drift { get; init; }

    [JsonPropertyName("driftDetected")]
    public bool? DriftDetected { get; init; }

    [JsonPropertyName("lastSeen")]
    public DateTimeOffset? LastSeen { get; init; }

    [JsonPropertyName("signed")]
    public bool? Signed { get; init; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    /// <summary>Fresh, Compliant and LineageSynced.</summary>
    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
