using System.Net;
using System.Text.Json;
using Conductor.Discovery;
using Conductor.Executor.Runs;
using Conductor.Resources.Dispatcher;
using Conductor.Runner.Results;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Executor.TargetCluster;

/// <summary>
/// Writes objects to the target cluster with server-side apply (PATCH application/apply-patch+yaml, field manager
/// <see cref="FieldManager"/>, force), reads and deletes them. Each object's resource and scope come from API
/// discovery, never from a guessed plural. A namespaced object without a namespace goes to <c>default</c>, as kubectl
/// would put it; a cluster-scoped object's stray namespace is dropped.
/// </summary>
public sealed class ServerSideApplier(IKubernetes target, string cluster)
{
    /// <summary>The field manager of everything Conductor applies; force takes over fields another manager set.</summary>
    public const string FieldManager = "conductor";

    private const string DefaultNamespace = "default";

    private readonly ApiDiscovery _discovery = new(target);

    /// <summary>Applies <paramref name="manifest"/>; returns it as placed (with the namespace it was applied in).</summary>
    public async Task<ManifestObject> ApplyAsync(ManifestObject manifest, CancellationToken cancellationToken)
    {
        var served = await ResolveAsync(manifest.ApiVersion, manifest.Kind, cancellationToken);
        var placed = manifest.InNamespace(served.Namespaced ? manifest.Namespace ?? DefaultNamespace : null);
        var patch = new V1Patch(placed.Body.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        try
        {
            if (served.Namespaced)
            {
                await target.CustomObjects.PatchNamespacedCustomObjectAsync(patch, served.Group, served.Version, placed.Namespace!, served.Plural,
                    placed.Name, fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
            }
            else
            {
                await target.CustomObjects.PatchClusterCustomObjectAsync(patch, served.Group, served.Version, served.Plural, placed.Name,
                    fieldManager: FieldManager, force: true, cancellationToken: cancellationToken);
            }
        }
        catch (HttpOperationException e)
        {
            throw new CapabilityFailureException(FailureCategory.ExecutionFailure,
                $"applying {Describe(placed.Identity)} to cluster {cluster} failed: {(int)e.Response.StatusCode} {Reason(e)}", e);
        }
        return placed;
    }

    /// <summary>The object as the target serves it, or null when it does not exist (or its kind is no longer served).</summary>
    public async Task<JsonElement?> GetAsync(DeployedResource resource, CancellationToken cancellationToken)
    {
        var served = await _discovery.ResolveAsync(resource.ApiVersion, resource.Kind, cancellationToken);
        if (served is null)
        {
            return null;
        }
        try
        {
            return served.Namespaced
                ? await target.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(served.Group, served.Version, resource.Namespace ?? DefaultNamespace,
                    served.Plural, resource.Name, cancellationToken)
                : await target.CustomObjects.GetClusterCustomObjectAsync<JsonElement>(served.Group, served.Version, served.Plural, resource.Name, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            throw new CapabilityFailureException(FailureCategory.ExecutionFailure,
                $"reading {Describe(resource)} on cluster {cluster} failed: {(int)e.Response.StatusCode} {Reason(e)}", e);
        }
    }

    /// <summary>Deletes the object with Background propagation; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(DeployedResource resource, CancellationToken cancellationToken)
    {
        var served = await _discovery.ResolveAsync(resource.ApiVersion, resource.Kind, cancellationToken);
        if (served is null)
        {
            return false;
        }
        var options = new V1DeleteOptions { PropagationPolicy = "Background" };
        try
        {
            if (served.Namespaced)
            {
                await target.CustomObjects.DeleteNamespacedCustomObjectAsync(served.Group, served.Version, resource.Namespace ?? DefaultNamespace,
                    served.Plural, resource.Name, options, cancellationToken: cancellationToken);
            }
            else
            {
                await target.CustomObjects.DeleteClusterCustomObjectAsync(served.Group, served.Version, served.Plural, resource.Name, options,
                    cancellationToken: cancellationToken);
            }
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (HttpOperationException e)
        {
            throw new CapabilityFailureException(FailureCategory.ExecutionFailure,
                $"deleting {Describe(resource)} on cluster {cluster} failed: {(int)e.Response.StatusCode} {Reason(e)}", e);
        }
    }

    /// <summary>"Kind namespace/name (apiVersion)", or "Kind name (apiVersion)" when cluster-scoped.</summary>
    public static string Describe(DeployedResource resource) =>
        $"{resource.Kind} {(resource.Namespace is null ? "" : resource.Namespace + "/")}{resource.Name} ({resource.ApiVersion})";

    private async Task<ServedResource> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        ServedResource? served;
        try
        {
            served = await _discovery.ResolveAsync(apiVersion, kind, cancellationToken);
        }
        catch (HttpOperationException e)
        {
            throw new CapabilityFailureException(FailureCategory.ExecutionFailure,
                $"API discovery of {apiVersion} on cluster {cluster} failed: {(int)e.Response.StatusCode} {Reason(e)}", e);
        }
        return served ?? throw new CapabilityFailureException(FailureCategory.ValidationFailure,
            $"cluster {cluster} does not serve kind {kind} in {apiVersion}: install its CRD (in the pack's cluster-scoped layer) or fix the manifest's apiVersion");
    }

    private static string Reason(HttpOperationException e) =>
        string.IsNullOrWhiteSpace(e.Response.Content) ? e.Message : e.Response.Content;
}
