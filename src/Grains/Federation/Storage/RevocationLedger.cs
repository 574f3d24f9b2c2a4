using System.Net;
using System.Text.Json;
using Conductor.Federation;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// The revocations issued for one cluster, kept on the management cluster in ConfigMap
/// <c>revocations-{cluster}</c> (data key <c>revocations</c>, a JSON array, at most <see cref="MaxEntries"/>,
/// oldest dropped first), so a tenant that was away, or a restarted silo, still learns of every recent one.
/// Written only with the resourceVersion last read.
/// </summary>
public sealed class RevocationLedger(IKubernetes kube, string @namespace, string clusterId)
{
    /// <summary>About 300 bytes each: the ConfigMap stays far below the 1 MiB object limit.</summary>
    public const int MaxEntries = 1000;

    public const string RevocationsKey = "revocations";

    public string Name => $"revocations-{clusterId}";

    public async Task<(List<RevocationNotice> Entries, string? ResourceVersion)> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var map = await kube.CoreV1.ReadNamespacedConfigMapAsync(Name, @namespace, cancellationToken: cancellationToken);
            var text = (map.Data is { } found && found.TryGetValue(RevocationsKey, out var raw) ? raw : null) ?? "[]";
            return (JsonSerializer.Deserialize<List<RevocationNotice>>(text, AuditChunkStore.Json) ?? [], map.Metadata.ResourceVersion);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return ([], null);
        }
    }

    /// <summary>Writes <paramref name="entries"/> guarded by <paramref name="resourceVersion"/>; null when someone wrote first.</summary>
    public async Task<string?> WriteAsync(IReadOnlyList<RevocationNotice> entries, string? resourceVersion, CancellationToken cancellationToken)
    {
        var map = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = @namespace,
                ResourceVersion = resourceVersion,
                Labels = new Dictionary<string, string> { [AuditChunkStore.ClusterIdLabel] = clusterId },
            },
            Data = new Dictionary<string, string>
            {
                [RevocationsKey] = JsonSerializer.Serialize(entries.TakeLast(MaxEntries), AuditChunkStore.Json),
            },
        };
        try
        {
            var written = resourceVersion is null
                ? await kube.CoreV1.CreateNamespacedConfigMapAsync(map, @namespace, cancellationToken: cancellationToken)
                : await kube.CoreV1.ReplaceNamespacedConfigMapAsync(map, Name, @namespace, cancellationToken: cancellationToken);
            return written.Metadata.ResourceVersion;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }
}
