using System.Text.Json.Serialization;
using k8s.Models;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Platform;

/// <summary>A reusable set of Talos machine-config patches that hardening-apply merges into each node in order.</summary>
[KubernetesEntity(Group = SeamApi.Group, ApiVersion = SeamApi.Version, Kind = KindName, PluralName = Plural)]
[ShortNames("hp")]
[PrinterColumn(1, "Description", ".spec.description", Priority = 1)]
public sealed class HardeningProfile() : KubernetesResource<HardeningProfileSpec, HardeningProfileStatus>(SeamApi.ApiVersion, KindName)
{
    public const string KindName = "HardeningProfile";
    public const string Plural = "hardeningprofiles";
}

public sealed record HardeningProfileSpec
{
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>YAML documents, each deep-merged into the running machine config.</summary>
    [JsonPropertyName("machineConfigPatches"), Required]
    public IReadOnlyList<string> MachineConfigPatches { get; init; } = [];
}

public sealed record HardeningProfileStatus
{
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; init; }

    [JsonPropertyName("conditions")]
    public IReadOnlyList<V1Condition>? Conditions { get; init; }
}
