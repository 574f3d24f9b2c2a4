using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.References;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

/// <summary>Patch, harden or rotate credentials on one cluster; runs node-patch, hardening-apply or credential-rotate.</summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("nm")]
[PrinterColumn(1, "Cluster", ".spec.clusterRef.name")]
[PrinterColumn(2, "Operation", ".spec.operation")]
public sealed class NodeMaintenance() : KubernetesResource<NodeMaintenanceSpec, OperationalStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "NodeMaintenance";
    public const string Plural = "nodemaintenances";
}

public sealed record NodeMaintenanceSpec
{
    [JsonPropertyName("clusterRef"), Required]
    public NamedRef ClusterRef { get; init; } = new();

    [JsonPropertyName("operation"), Required]
    public NodeMaintenanceOperation Operation { get; init; }

    [JsonPropertyName("targetNodes")]
    public IReadOnlyList<string>? TargetNodes { get; init; }

    /// <summary>Secret (key <c>machineconfig</c>) holding the config to apply; required for patch.</summary>
    [JsonPropertyName("patchSecretRef")]
    public NamedRef? PatchSecretRef { get; init; }

    /// <summary>Talos apply mode for patch (default no-reboot).</summary>
    [JsonPropertyName("patchMode"), Default("no-reboot")]
    public PatchMode? PatchMode { get; init; }

    /// <summary>Profile to apply; required for hardening-apply.</summary>
    [JsonPropertyName("hardeningProfileRef")]
    public NamespacedRef? HardeningProfileRef { get; init; }

    /// <summary>Rotate service-account signing keys on credential-rotate (default true).</summary>
    [JsonPropertyName("rotateServiceAccountKeys"), Default(true)]
    public bool? RotateServiceAccountKeys { get; init; }

    /// <summary>Rotate OIDC credentials on credential-rotate (default false).</summary>
    [JsonPropertyName("rotateOIDCCredentials"), Default(false)]
    public bool? RotateOidcCredentials { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<NodeMaintenanceOperation>))]
public enum NodeMaintenanceOperation
{
    [JsonStringEnumMemberName("patch")] Patch,
    [JsonStringEnumMemberName("hardening-apply")] HardeningApply,
    [JsonStringEnumMemberName("credential-rotate")] CredentialRotate,
}

/// <summary>Talos machine-config apply modes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PatchMode>))]
public enum PatchMode
{
    [JsonStringEnumMemberName("auto")] Auto,
    [JsonStringEnumMemberName("no-reboot")] NoReboot,
    [JsonStringEnumMemberName("reboot")] Reboot,
    [JsonStringEnumMemberName("staged")] Staged,
    [JsonStringEnumMemberName("try")] Try,
}
