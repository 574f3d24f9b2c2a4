using System.Text.Json.Nodes;
using Conductor.Silo.Leadership;
using Conductor.Silo.Webhook;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Sweep;

/// <summary>
/// Adopts existing RBAC: every Role, RoleBinding and ServiceAccount in the swept namespaces and every ClusterRole and
/// ClusterRoleBinding without <c>ontai.dev/rbac-owner=guardian</c> gets that annotation and
/// <c>ontai.dev/rbac-enforcement-mode=audit</c>. Objects already owned are not written (idempotent). The kube-*
/// namespaces, namespaces labelled <c>seam.ontai.dev/webhook-mode=exempt</c> and <c>system:</c> names are left alone.
/// </summary>
public sealed partial class StampRbacOwnershipStep(
    IKubernetes client, LeaderOnlyWriter writer, IOptions<SweepOptions> options, ILogger<StampRbacOwnershipStep> logger) : ISweepStep
{
    public const string ExemptLabel = "seam.ontai.dev/webhook-mode";

    private static readonly HashSet<string> SkippedNamespaces = new(StringComparer.Ordinal) { "kube-system", "kube-public", "kube-node-lease" };

    private static readonly string Patch = new JsonObject
    {
        ["metadata"] = new JsonObject
        {
            ["annotations"] = new JsonObject
            {
                [RbacOwnershipPolicy.OwnerAnnotation] = RbacOwnershipPolicy.OwnerValue,
                [RbacOwnershipPolicy.EnforcementModeAnnotation] = "audit",
            },
        },
    }.ToJsonString();

    public string Name => "stamp-rbac-ownership";

    public async Task<SweepStepResult> RunAsync(SweepContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var namespaces = await client.CoreV1.ListNamespaceAsync(labelSelector: settings.NamespaceLabelSelector, cancellationToken: cancellationToken);
        foreach (var ns in namespaces.Items)
        {
            var name = ns.Metadata.Name;
            if (SkippedNamespaces.Contains(name) || ns.Metadata.Labels is { } labels && labels.TryGetValue(ExemptLabel, out var mode) && mode == "exempt")
            {
                continue;
            }
            var roles = await client.RbacAuthorizationV1.ListNamespacedRoleAsync(name, cancellationToken: cancellationToken);
            await StampAllAsync(context, "Role", roles.Items.Select(r => r.Metadata), (patch, n, token) =>
                client.RbacAuthorizationV1.PatchNamespacedRoleAsync(patch, n, name, cancellationToken: token), cancellationToken);
            var bindings = await client.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(name, cancellationToken: cancellationToken);
            await StampAllAsync(context, "RoleBinding", bindings.Items.Select(r => r.Metadata), (patch, n, token) =>
                client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(patch, n, name, cancellationToken: token), cancellationToken);
            var accounts = await client.CoreV1.ListNamespacedServiceAccountAsync(name, cancellationToken: cancellationToken);
            await StampAllAsync(context, "ServiceAccount", accounts.Items.Select(r => r.Metadata), (patch, n, token) =>
                client.CoreV1.PatchNamespacedServiceAccountAsync(patch, n, name, cancellationToken: token), cancellationToken);
        }
        var clusterRoles = await client.RbacAuthorizationV1.ListClusterRoleAsync(labelSelector: settings.ClusterScopedLabelSelector, cancellationToken: cancellationToken);
        await StampAllAsync(context, "ClusterRole", clusterRoles.Items.Select(r => r.Metadata), (patch, n, token) =>
            client.RbacAuthorizationV1.PatchClusterRoleAsync(patch, n, cancellationToken: token), cancellationToken);
        var clusterBindings = await client.RbacAuthorizationV1.ListClusterRoleBindingAsync(labelSelector: settings.ClusterScopedLabelSelector, cancellationToken: cancellationToken);
        await StampAllAsync(context, "ClusterRoleBinding", clusterBindings.Items.Select(r => r.Metadata), (patch, n, token) =>
            client.RbacAuthorizationV1.PatchClusterRoleBindingAsync(patch, n, cancellationToken: token), cancellationToken);
        return SweepStepResult.Continue;
    }

    private async Task StampAllAsync<T>(
        SweepContext context, string kind, IEnumerable<V1ObjectMeta> objects, Func<V1Patch, string, CancellationToken, Task<T>> patch,
        CancellationToken cancellationToken)
    {
        foreach (var metadata in objects)
        {
            if (metadata.Name.StartsWith("system:", StringComparison.Ordinal)
                || (metadata.Annotations is { } annotations && annotations.TryGetValue(RbacOwnershipPolicy.OwnerAnnotation, out var owner)
                    && owner == RbacOwnershipPolicy.OwnerValue))
            {
                continue;
            }
            var where = metadata.NamespaceProperty is { Length: > 0 } ns ? $"{ns}/{metadata.Name}" : metadata.Name;
            LogStamping(logger, kind, where, metadata.ResourceVersion);
            try
            {
                await writer.WriteAsync($"stamp RBAC ownership on {kind} {where}",
                    token => patch(new V1Patch(Patch, V1Patch.PatchType.MergePatch), metadata.Name, token), cancellationToken);
                context.Stamped++;
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                context.Errors.Add($"{kind} {where}: {e.Response.StatusCode} {e.Response.Content}");
            }
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Stamping ontai.dev/rbac-owner=guardian on {Kind} {Name} at resourceVersion {ResourceVersion}")]
    private static partial void LogStamping(ILogger logger, string kind, string name, string resourceVersion);
}
