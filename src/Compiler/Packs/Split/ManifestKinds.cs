namespace Conductor.Compiler.Packs.Split;

/// <summary>Which layer each kind goes to (compiler.md §4.5): exact, case-sensitive kind names.</summary>
public static class ManifestKinds
{
    public const string Namespace = "Namespace";

    /// <summary>Applied first, through guardian's RBAC intake.</summary>
    public static readonly IReadOnlySet<string> Rbac = new HashSet<string>(StringComparer.Ordinal)
    {
        "ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
    };

    /// <summary>Cluster-wide objects the runner applies with its cluster-scoped permissions.</summary>
    public static readonly IReadOnlySet<string> ClusterScoped = new HashSet<string>(StringComparer.Ordinal)
    {
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "CustomResourceDefinition", "APIService",
        "PriorityClass", "StorageClass", "IngressClass", "ClusterIssuer",
    };

    /// <summary>The annotation that marks a Helm hook; such documents are not part of the release and are dropped.</summary>
    public const string HelmHookAnnotation = "helm.sh/hook";
}
