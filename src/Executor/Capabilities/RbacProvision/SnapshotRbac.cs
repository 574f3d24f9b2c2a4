using System.Text.Json.Nodes;
using Conductor.Executor.Runs;
using Conductor.Executor.TargetCluster;
using Conductor.Resources.Guardian;
using Conductor.Runner.Results;

namespace Conductor.Executor.Capabilities.RbacProvision;

/// <summary>
/// The RBAC objects a PermissionSnapshot carries for one cluster. A subject with a namespace gets a Role and a
/// RoleBinding there; one without gets a ClusterRole and a ClusterRoleBinding. A principal's allowed operations for
/// this cluster (no cluster list, or one naming it) become ClusterRole <c>seam:principal:{principal}</c> bound to that
/// user. Every object is marked as Guardian-owned (the tenant admission webhook's rule) and names its snapshot: the
/// <see cref="SnapshotLabel"/> selects a snapshot's objects, the annotations name it and its version exactly.
/// </summary>
public static class SnapshotRbac
{
    public const string ManagedByLabel = "ontai.dev/managed-by";
    public const string ClusterLabel = "ontai.dev/cluster";
    public const string RbacOwnerAnnotation = "ontai.dev/rbac-owner";
    public const string SnapshotAnnotation = "guardian.ontai.dev/permission-snapshot";

    // "namespace/name" is not a valid label value; its hash is, and lets a prune list one snapshot's objects by selector.
    public const string SnapshotLabel = "guardian.ontai.dev/snapshot-ref";

    // The snapshot version is an ISO timestamp with ':' — not a valid label value, so it travels as an annotation.
    public const string SnapshotVersionAnnotation = "guardian.ontai.dev/snapshot-version";

    private const string RbacApiVersion = "rbac.authorization.k8s.io/v1";

    public static IReadOnlyList<ManifestObject> Build(string snapshot, PermissionSnapshotSpec spec, string cluster)
    {
        var objects = new List<ManifestObject>();
        foreach (var subject in spec.Subjects ?? [])
        {
            var rules = (subject.Permissions ?? []).Select(Rule).ToList();
            var kind = subject.SubjectKind.ToString();
            if (subject.SubjectKind == SubjectKind.ServiceAccount && string.IsNullOrEmpty(subject.Namespace))
            {
                throw new CapabilityFailureException(FailureCategory.ValidationFailure,
                    $"{PermissionSnapshot.KindName} {snapshot} subject ServiceAccount '{subject.SubjectName}' has no namespace; a ServiceAccount is always namespaced");
            }
            var name = $"seam:snapshot:{kind.ToLowerInvariant()}:{subject.SubjectName}";
            var subjectRef = Subject(kind, subject.SubjectName, subject.Namespace);
            if (string.IsNullOrEmpty(subject.Namespace))
            {
                objects.Add(Role("ClusterRole", name, null, rules, snapshot, spec, cluster));
                objects.Add(Binding("ClusterRoleBinding", "ClusterRole", name, null, subjectRef, snapshot, spec, cluster));
            }
            else
            {
                objects.Add(Role("Role", name, subject.Namespace, rules, snapshot, spec, cluster));
                objects.Add(Binding("RoleBinding", "Role", name, subject.Namespace, subjectRef, snapshot, spec, cluster));
            }
        }
        foreach (var principal in spec.PrincipalPermissions ?? [])
        {
            var rules = (principal.AllowedOperations ?? [])
                .Where(o => o.Resource.Length > 0 && (o.Clusters is not { Count: > 0 } clusters || clusters.Contains(cluster)))
                .Select(o => (JsonNode)new JsonObject
                {
                    ["apiGroups"] = new JsonArray(o.ApiGroup),
                    ["resources"] = new JsonArray(o.Resource),
                    ["verbs"] = Strings(o.Verbs),
                })
                .ToList();
            var name = $"seam:principal:{principal.PrincipalRef}";
            objects.Add(Role("ClusterRole", name, null, rules, snapshot, spec, cluster));
            objects.Add(Binding("ClusterRoleBinding", "ClusterRole", name, null, Subject("User", principal.PrincipalRef, null), snapshot, spec, cluster));
        }
        return objects;
    }

    /// <summary>The label value naming <paramref name="snapshot"/> (<c>namespace/name</c>): a hex SHA-256 prefix, always a valid label value.</summary>
    public static string SnapshotRef(string snapshot) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(snapshot)))[..40];

    private static JsonNode Rule(PermissionRule rule)
    {
        var node = new JsonObject { ["verbs"] = Strings(rule.Verbs) };
        if (rule.ApiGroups is not null)
        {
            node["apiGroups"] = Strings(rule.ApiGroups);
        }
        if (rule.Resources is not null)
        {
            node["resources"] = Strings(rule.Resources);
        }
        if (rule.ResourceNames is not null)
        {
            node["resourceNames"] = Strings(rule.ResourceNames);
        }
        return node;
    }

    private static JsonObject Subject(string kind, string name, string? @namespace)
    {
        var subject = new JsonObject { ["kind"] = kind, ["name"] = name };
        if (kind == "ServiceAccount")
        {
            subject["namespace"] = @namespace;
        }
        else
        {
            subject["apiGroup"] = "rbac.authorization.k8s.io";
        }
        return subject;
    }

    private static ManifestObject Role(string kind, string name, string? @namespace, List<JsonNode> rules, string snapshot,
        PermissionSnapshotSpec spec, string cluster)
    {
        var body = Object(kind, name, @namespace, snapshot, spec, cluster);
        body["rules"] = new JsonArray([.. rules]);
        return ManifestObject.From(body)!;
    }

    private static ManifestObject Binding(string kind, string roleKind, string name, string? @namespace, JsonObject subject, string snapshot,
        PermissionSnapshotSpec spec, string cluster)
    {
        var body = Object(kind, name, @namespace, snapshot, spec, cluster);
        body["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = roleKind, ["name"] = name };
        body["subjects"] = new JsonArray(subject);
        return ManifestObject.From(body)!;
    }

    private static JsonObject Object(string kind, string name, string? @namespace, string snapshot, PermissionSnapshotSpec spec, string cluster)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject { [ManagedByLabel] = "conductor", [ClusterLabel] = cluster, [SnapshotLabel] = SnapshotRef(snapshot) },
            ["annotations"] = new JsonObject
            {
                [RbacOwnerAnnotation] = "guardian",
                [SnapshotAnnotation] = snapshot,
                [SnapshotVersionAnnotation] = spec.Version,
            },
        };
        if (@namespace is not null)
        {
            metadata["namespace"] = @namespace;
        }
        return new JsonObject { ["apiVersion"] = RbacApiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
