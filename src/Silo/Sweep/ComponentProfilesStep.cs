using System.Net;
using Conductor.Resources;
using Conductor.Resources.Guardian;
using Conductor.Silo.Leadership;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Sweep;

/// <summary>
/// For each known third-party component whose namespace exists, makes sure its PermissionSet
/// (<c>{component}-baseline</c>), RBACPolicy (<c>{component}-rbac-policy</c>, audit) and RBACProfile
/// (<c>rbac-{component}</c>) exist in the agent's namespace. Create-if-absent: an existing object is Guardian's or the
/// operator's to change, never overwritten here.
/// </summary>
public sealed partial class ComponentProfilesStep(
    IKubernetes client, LeaderOnlyWriter writer, IOptions<SweepOptions> options, ILogger<ComponentProfilesStep> logger) : ISweepStep
{
    public const string ComponentLabel = "ontai.dev/component";

    private static readonly IReadOnlyList<string> AllVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

    public string Name => "component-profiles";

    public async Task<SweepStepResult> RunAsync(SweepContext context, CancellationToken cancellationToken)
    {
        if (!context.GuardianServed)
        {
            return SweepStepResult.Continue;
        }
        var settings = options.Value;
        foreach (var component in settings.Components)
        {
            if (!await NamespaceExistsAsync(component.Namespace, cancellationToken))
            {
                continue;
            }
            context.ComponentsPresent.Add(component.Name);
            var labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/managed-by"] = "conductor",
                ["ontai.dev/permission-set-type"] = "bootstrap",
                [ComponentLabel] = component.Name,
            };
            var setName = $"{component.Name}-baseline";
            var policyName = $"{component.Name}-rbac-policy";
            await EnsureAsync(context, PermissionSet.Plural, PermissionSet.KindName, new PermissionSet
            {
                Metadata = Meta(setName, settings.Namespace, labels),
                Spec = new PermissionSetSpec
                {
                    Description = $"Bootstrap ceiling for {component.Name}, adopted by the TenantBootstrapSweep.",
                    Permissions = [new PermissionRule { ApiGroups = ["*"], Resources = ["*"], Verbs = AllVerbs }],
                },
            }, cancellationToken);
            await EnsureAsync(context, RBACPolicy.Plural, RBACPolicy.KindName, new RBACPolicy
            {
                Metadata = Meta(policyName, settings.Namespace, labels),
                Spec = new RBACPolicySpec
                {
                    SubjectScope = SubjectScope.Platform,
                    EnforcementMode = EnforcementMode.Audit,
                    MaximumPermissionSetRef = setName,
                    AllowedClusters = [settings.ClusterName],
                },
            }, cancellationToken);
            await EnsureAsync(context, RBACProfile.Plural, RBACProfile.KindName, new RBACProfile
            {
                Metadata = Meta($"rbac-{component.Name}", settings.Namespace, labels),
                Spec = new RBACProfileSpec
                {
                    PrincipalRef = component.Principal,
                    TargetClusters = [settings.ClusterName],
                    RbacPolicyRef = policyName,
                    PermissionDeclarations = [new PermissionDeclaration { PermissionSetRef = setName, Scope = PermissionScope.Cluster }],
                },
            }, cancellationToken);
        }
        return SweepStepResult.Continue;
    }

    private async Task<bool> NamespaceExistsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task EnsureAsync<T>(SweepContext context, string plural, string kind, T body, CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var ns = body.Metadata.NamespaceProperty;
        var name = body.Metadata.Name;
        try
        {
            await client.CustomObjects.GetNamespacedCustomObjectAsync<T>(GuardianApi.Group, GuardianApi.Version, ns, plural, name, cancellationToken);
            return;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Absent: create it below.
        }
        LogCreating(logger, kind, ns, name);
        try
        {
            await writer.WriteAsync($"create {kind} {ns}/{name}", token =>
                client.CustomObjects.CreateNamespacedCustomObjectAsync(body, GuardianApi.Group, GuardianApi.Version, ns, plural, cancellationToken: token),
                cancellationToken);
            context.Created++;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created between our read and create: it exists, which is all this step wants.
        }
        catch (HttpOperationException e)
        {
            context.Errors.Add($"{kind} {ns}/{name}: {e.Response.StatusCode} {e.Response.Content}");
        }
    }

    private static V1ObjectMeta Meta(string name, string ns, Dictionary<string, string> labels) =>
        new() { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string>(labels) };

    [LoggerMessage(1, LogLevel.Information, "Creating {Kind} {Namespace}/{Name} for a third-party component")]
    private static partial void LogCreating(ILogger logger, string kind, string @namespace, string name);
}
