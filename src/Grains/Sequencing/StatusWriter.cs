using System.Net;
using Conductor.Resources.Seam;
using k8s;
using k8s.Autorest;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// Reads RunnerConfigs and writes their status through <c>/status</c>, only when it changed, as a replace guarded by
/// the resourceVersion that was read: a concurrent writer (the capability publisher, another pass) makes it fail with
/// 409 rather than be overwritten, and the caller re-reads and plans again.
/// </summary>
public sealed class StatusWriter(IKubernetes client)
{
    private static readonly GenericClientApi Api = new(Resources.SeamApi.Group, Resources.SeamApi.Version, RunnerConfig.Plural);

    /// <summary>The RunnerConfig, or null when it does not exist.</summary>
    public async Task<RunnerConfig?> ReadAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<RunnerConfig>(Api.Group, Api.Version, @namespace, Api.Plural, name, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes <paramref name="status"/> unless it equals what <paramref name="observed"/> holds. Returns the written
    /// object, <paramref name="observed"/> when nothing changed, or null on a 409 conflict (re-read and plan again).
    /// </summary>
    public async Task<RunnerConfig?> WriteAsync(RunnerConfig observed, RunnerConfigStatus status, CancellationToken cancellationToken)
    {
        if (observed.Status is not null && KubernetesJson.Serialize(observed.Status) == KubernetesJson.Serialize(status))
        {
            return observed;
        }
        var desired = new RunnerConfig { Metadata = observed.Metadata, Spec = observed.Spec, Status = status };
        try
        {
            return await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<RunnerConfig>(desired, Api.Group, Api.Version,
                observed.Metadata.NamespaceProperty, Api.Plural, observed.Metadata.Name, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    private sealed record GenericClientApi(string Group, string Version, string Plural);
}
