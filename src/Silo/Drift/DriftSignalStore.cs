using System.Net;
using System.Text.Json.Nodes;
using Conductor.Resources;
using Conductor.Resources.Seam;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Silo.Drift;

/// <summary>Reads and guarded writes of DriftSignals, shared by the tenant writer and the management handler.</summary>
public static class DriftSignalStore
{
    // Spec fields a write may clear; a merge patch removes a field only when it names it with null.
    private static readonly string[] ClearableSpecFields = ["correlationID", "observedAt", "affectedCRRef", "driftReason", "correctionJobRef"];

    /// <summary>The signal, or null when it does not exist.</summary>
    public static async Task<DriftSignal?> ReadAsync(IKubernetes client, string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<DriftSignal>(SeamApi.Group, SeamApi.Version, @namespace,
                DriftSignal.Plural, name, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the whole spec as a merge patch (the agents are granted patch, not update) carrying the resourceVersion
    /// read, so a concurrent change fails with 409 Conflict instead of being overwritten.
    /// </summary>
    public static Task<DriftSignal> WriteSpecAsync(IKubernetes client, DriftSignal signal, CancellationToken cancellationToken)
    {
        var spec = JsonNode.Parse(KubernetesJson.Serialize(signal.Spec))!.AsObject();
        foreach (var field in ClearableSpecFields.Where(f => !spec.ContainsKey(f)))
        {
            spec[field] = null;
        }
        return client.CustomObjects.PatchNamespacedCustomObjectAsync<DriftSignal>(Guarded(signal, "spec", spec), SeamApi.Group, SeamApi.Version,
            signal.Metadata.NamespaceProperty, DriftSignal.Plural, signal.Metadata.Name, cancellationToken: cancellationToken);
    }

    /// <summary>Writes the status the same way, through the status subresource.</summary>
    public static Task<DriftSignal> WriteStatusAsync(IKubernetes client, DriftSignal signal, CancellationToken cancellationToken) =>
        client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<DriftSignal>(
            Guarded(signal, "status", JsonNode.Parse(KubernetesJson.Serialize(signal.Status))), SeamApi.Group, SeamApi.Version,
            signal.Metadata.NamespaceProperty, DriftSignal.Plural, signal.Metadata.Name, cancellationToken: cancellationToken);

    private static V1Patch Guarded(DriftSignal signal, string part, JsonNode? value) => new(new JsonObject
    {
        ["metadata"] = new JsonObject { ["resourceVersion"] = signal.Metadata.ResourceVersion },
        [part] = value,
    }.ToJsonString(), V1Patch.PatchType.MergePatch);
}
