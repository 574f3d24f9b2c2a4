using System.Text.Json.Serialization;
using Conductor.Resources.Schema;

namespace Conductor.Resources.Guardian;

/// <summary>An RBAC rule: verbs on resources of API groups (the core group is <c>""</c>).</summary>
public sealed record PermissionRule
{
    [JsonPropertyName("apiGroups")]
    public IReadOnlyList<string>? ApiGroups { get; init; }

    [JsonPropertyName("resources")]
    public IReadOnlyList<string>? Resources { get; init; }

    [JsonPropertyName("verbs"), Required]
    public IReadOnlyList<string> Verbs { get; init; } = [];

    [JsonPropertyName("resourceNames")]
    public IReadOnlyList<string>? ResourceNames { get; init; }
}
