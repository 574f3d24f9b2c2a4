namespace Conductor.Compiler.OperatorBundle;

/// <summary>Namespaces, label and annotation keys the enable bundle stamps (DESIGN §3, §6).</summary>
public static class Labels
{
    public const string SeamSystem = "seam-system";
    public const string OntSystem = "ont-system";
    public const string KubeSystem = "kube-system";

    public const string Name = "app.kubernetes.io/name";
    public const string Component = "app.kubernetes.io/component";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Compiler = "compiler";

    public const string WebhookMode = "seam.ontai.dev/webhook-mode";
    public const string Phase = "seam.ontai.dev/phase";
    public const string PhaseOrder = "seam.ontai.dev/phase-order";
    public const string Cluster = "seam.ontai.dev/cluster";
    public const string Role = "seam.ontai.dev/role";
    public const string ReviewRequired = "seam.ontai.dev/review-required";
    public const string RotateVia = "seam.ontai.dev/rotate-via";
    public const string KeySource = "seam.ontai.dev/key-source";
    public const string UpstreamUrl = "seam.ontai.dev/upstream-url";

    /// <summary>The ownership mark guardian and the tenant agent look for on RBAC objects (DESIGN §2).</summary>
    public const string RbacOwner = "ontai.dev/rbac-owner";

    public const string PodSecurityEnforce = "pod-security.kubernetes.io/enforce";
    public const string PodSecurityWarn = "pod-security.kubernetes.io/warn";
    public const string PodSecurityAudit = "pod-security.kubernetes.io/audit";
    public const string Restricted = "restricted";

    public static string TenantNamespace(string cluster) => $"seam-tenant-{cluster}";

    public static Dictionary<string, string> Of(string name, string component) => new()
    {
        [Name] = name,
        [Component] = component,
        [PartOf] = "seam",
        [ManagedBy] = Compiler,
    };
}
