using k8s.Models;

namespace Conductor.Compiler.OperatorBundle.Phases;

/// <summary>Namespace objects: the Seam namespaces under the restricted pod security standard, and label-only stamps.</summary>
public static class Namespaces
{
    public const string Exempt = "exempt";
    public const string Governed = "governed";

    /// <summary>Namespaces whose workloads guardian's RBAC webhook must not block (platform prerequisites and kube-system).</summary>
    public static readonly IReadOnlyList<string> WebhookExempt =
        ["cert-manager", "cnpg-system", "kube-system", "kueue-system", "local-path-storage", Labels.SeamSystem];

    public static V1Namespace Restricted(string name, string webhookMode, Dictionary<string, string>? extra = null)
    {
        var labels = new Dictionary<string, string>
        {
            [Labels.PodSecurityEnforce] = Labels.Restricted,
            [Labels.PodSecurityWarn] = Labels.Restricted,
            [Labels.PodSecurityAudit] = Labels.Restricted,
            [Labels.WebhookMode] = webhookMode,
            [Labels.ManagedBy] = Labels.Compiler,
        };
        foreach (var (key, value) in extra ?? [])
        {
            labels[key] = value;
        }
        return new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = name, Labels = labels } };
    }

    /// <summary>A label-only Namespace document, meant for server-side apply so existing labels are kept.</summary>
    public static V1Namespace ExemptLabel(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [Labels.WebhookMode] = Exempt } },
    };
}
