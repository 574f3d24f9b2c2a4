using System.Net;
using Conductor.Resources;
using Conductor.Resources.Seam;
using k8s;
using k8s.Autorest;

namespace Conductor.Silo.Drift;

/// <summary>Reads and guarded replaces of DriftSignals, shared by the tenant writer and the management handler.</summary>
public static class DriftSignalStore
{
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

    /// <summary>Replaces the spec; the object's resourceVersion makes a concurrent change fail with 409 Conflict.</summary>
    public static Task<DriftSignal> ReplaceAsync(IKubernetes client, DriftSignal signal, CancellationToken cancellationToken) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<DriftSignal>(signal, SeamApi.Group, SeamApi.Version,
            signal.Metadata.NamespaceProperty, DriftSignal.Plural, signal.Metadata.Name, cancellationToken: cancellationToken);

    /// <summary>Replaces the status, guarded the same way.</summary>
    public static Task<DriftSignal> ReplaceStatusAsync(IKubernetes client, DriftSignal signal, CancellationToken cancellationToken) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<DriftSignal>(signal, SeamApi.Group, SeamApi.Version,
            signal.Metadata.NamespaceProperty, DriftSignal.Plural, signal.Metadata.Name, cancellationToken: cancellationToken);
}
