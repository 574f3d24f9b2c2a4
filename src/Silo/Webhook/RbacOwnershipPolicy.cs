using System.Text.Json;

namespace Conductor.Silo.Webhook;

/// <summary>
/// The RBAC-ownership rule (CS-INV-001): every Role, ClusterRole, RoleBinding, ClusterRoleBinding and ServiceAccount
/// on a tenant cluster carries <c>ontai.dev/rbac-owner=guardian</c>. System namespaces and <c>system:</c> names are
/// exempt; deletions are allowed because removing ungoverned RBAC is the fix, not a violation.
/// </summary>
public static class RbacOwnershipPolicy
{
    public const string OwnerAnnotation = "ontai.dev/rbac-owner";
    public const string OwnerValue = "guardian";
    public const string EnforcementModeAnnotation = "ontai.dev/rbac-enforcement-mode";
    public const string RbacGroup = "rbac.authorization.k8s.io";

    /// <summary>Namespaces the platform itself runs in; their RBAC is never gated.</summary>
    public static readonly IReadOnlySet<string> ExemptNamespaces = new HashSet<string>(StringComparer.Ordinal)
    {
        "kube-system", "kube-public", "kube-node-lease", "ont-system", "seam-system",
    };

    public static bool IsGovernedKind(string? group, string? kind) => (group ?? "") switch
    {
        RbacGroup => kind is "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding",
        "" => kind == "ServiceAccount",
        _ => false,
    };

    public static AdmissionDecision Decide(AdmissionRequest request, bool strict)
    {
        if (!IsGovernedKind(request.Kind?.Group, request.Kind?.Kind))
        {
            return AdmissionDecision.Allow("not an RBAC kind");
        }
        if (request.Operation is "DELETE" or "CONNECT")
        {
            return AdmissionDecision.Allow("deletions are not gated");
        }
        if (request.Namespace is { Length: > 0 } ns && ExemptNamespaces.Contains(ns))
        {
            return AdmissionDecision.Allow($"namespace {ns} is exempt");
        }
        var name = request.Name is { Length: > 0 } given ? given : NameOf(request.Object) ?? "";
        if (name.StartsWith("system:", StringComparison.Ordinal))
        {
            return AdmissionDecision.Allow("system: names are exempt");
        }
        if (OwnerOf(request.Object) == OwnerValue)
        {
            return AdmissionDecision.Allow("owned by guardian");
        }
        var where = request.Namespace is { Length: > 0 } n ? $"{n}/{name}" : name;
        var message = $"{request.Kind!.Kind} {where} is not owned by Guardian: RBAC on this cluster is governed by Guardian (CS-INV-001). " +
            $"Add the annotation {OwnerAnnotation}={OwnerValue} (metadata.annotations) or grant the permissions through a Guardian RBACProfile.";
        return strict
            ? AdmissionDecision.Forbid(message)
            : new AdmissionDecision(true, 200, null, message, $"[audit] {message} This will be rejected once enforcement is strict.");
    }

    private static string? OwnerOf(JsonElement? obj) =>
        obj is { ValueKind: JsonValueKind.Object } o
        && o.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object
        && annotations.TryGetProperty(OwnerAnnotation, out var owner) && owner.ValueKind == JsonValueKind.String
            ? owner.GetString()
            : null;

    private static string? NameOf(JsonElement? obj) =>
        obj is { ValueKind: JsonValueKind.Object } o
        && o.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;
}
