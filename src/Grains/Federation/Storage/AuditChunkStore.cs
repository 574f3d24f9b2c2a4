using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// The durable audit store of one cluster on the management cluster (DESIGN §4: what must survive a restart lives
/// in Kubernetes). Events are written as immutable ConfigMap chunks <c>audit-{cluster}-{firstSequence:D20}</c>
/// (data key <c>events</c>, a JSON array, at most <see cref="MaxChunkEvents"/> events and
/// <see cref="MaxChunkBytes"/> bytes, well under the 1 MiB object limit). The highest contiguous stored sequence is
/// ConfigMap <c>audit-{cluster}-hwm</c>, replaced only with the resourceVersion last read. A chunk is created
/// before the mark moves past it, so a crash between the two leaves a chunk the next store finds and adopts.
/// </summary>
public sealed class AuditChunkStore(IKubernetes kube, string @namespace, string clusterId)
{
    public const int MaxChunkEvents = 2000;
    public const int MaxChunkBytes = 512 * 1024;
    public const string EventsKey = "events";
    public const string HighWaterMarkKey = "highWaterMark";
    public const string AuditLabel = "seam.ontai.dev/audit-batch";
    public const string ClusterIdLabel = "seam.ontai.dev/cluster-id";
    public const string FirstSequenceAnnotation = "seam.ontai.dev/first-sequence";
    public const string LastSequenceAnnotation = "seam.ontai.dev/last-sequence";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Namespace => @namespace;

    public string HighWaterMarkName => $"audit-{clusterId}-hwm";

    public string ChunkName(ulong firstSequence) =>
        $"audit-{clusterId}-{firstSequence.ToString("D20", CultureInfo.InvariantCulture)}";

    /// <summary>The stored mark and the resourceVersion to guard the next write with (null: no mark yet).</summary>
    public async Task<(ulong Value, string? ResourceVersion)> ReadHighWaterMarkAsync(CancellationToken cancellationToken)
    {
        try
        {
            var map = await kube.CoreV1.ReadNamespacedConfigMapAsync(HighWaterMarkName, @namespace, cancellationToken: cancellationToken);
            var text = map.Data is { } found && found.TryGetValue(HighWaterMarkKey, out var raw) ? raw : null;
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidDataException(
                    $"ConfigMap {@namespace}/{HighWaterMarkName} key {HighWaterMarkKey} is '{text}', not a sequence number; " +
                    "restore it from the highest last-sequence annotation of the audit chunks");
            }

            return (value, map.Metadata.ResourceVersion);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return (0, null);
        }
    }

    /// <summary>
    /// Writes the mark guarded by <paramref name="resourceVersion"/> (null: create it) and returns the new
    /// resourceVersion, or null when someone else wrote first (the caller re-reads).
    /// </summary>
    public async Task<string?> WriteHighWaterMarkAsync(ulong value, string? resourceVersion, CancellationToken cancellationToken)
    {
        var map = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = HighWaterMarkName,
                NamespaceProperty = @namespace,
                ResourceVersion = resourceVersion,
                Labels = new Dictionary<string, string> { [ClusterIdLabel] = clusterId },
            },
            Data = new Dictionary<string, string> { [HighWaterMarkKey] = value.ToString(CultureInfo.InvariantCulture) },
        };
        try
        {
            var written = resourceVersion is null
                ? await kube.CoreV1.CreateNamespacedConfigMapAsync(map, @namespace, cancellationToken: cancellationToken)
                : await kube.CoreV1.ReplaceNamespacedConfigMapAsync(map, HighWaterMarkName, @namespace, cancellationToken: cancellationToken);
            return written.Metadata.ResourceVersion;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates the chunk holding <paramref name="events"/> (contiguous, ascending) and returns the last sequence
    /// the chunk of that first sequence holds. When such a chunk exists already (written before a crash or by a
    /// previous activation), nothing is written and its own last sequence is returned: events never change.
    /// </summary>
    public async Task<ulong> CreateChunkAsync(IReadOnlyList<Conductor.Federation.AuditRecord> events, byte[] json, CancellationToken cancellationToken)
    {
        var first = events[0].Sequence;
        var last = events[^1].Sequence;
        var map = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = ChunkName(first),
                NamespaceProperty = @namespace,
                Labels = new Dictionary<string, string> { [AuditLabel] = "true", [ClusterIdLabel] = clusterId },
                Annotations = new Dictionary<string, string>
                {
                    [FirstSequenceAnnotation] = first.ToString(CultureInfo.InvariantCulture),
                    [LastSequenceAnnotation] = last.ToString(CultureInfo.InvariantCulture),
                },
            },
            Data = new Dictionary<string, string> { [EventsKey] = Encoding.UTF8.GetString(json) },
        };
        try
        {
            await kube.CoreV1.CreateNamespacedConfigMapAsync(map, @namespace, cancellationToken: cancellationToken);
            return last;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            var existing = await kube.CoreV1.ReadNamespacedConfigMapAsync(map.Metadata.Name, @namespace, cancellationToken: cancellationToken);
            var text = existing.Metadata.Annotations is { } found && found.TryGetValue(LastSequenceAnnotation, out var raw) ? raw : null;
            return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var held) && held >= first
                ? held
                : throw new InvalidDataException(
                    $"Audit chunk ConfigMap {@namespace}/{map.Metadata.Name} has annotation {LastSequenceAnnotation}='{text}'; " +
                    "it must be the chunk's last sequence. Delete the damaged chunk so the tenant's replay rewrites it");
        }
    }

    /// <summary>Reads every stored event of this cluster, in sequence order (tests and audits).</summary>
    public async Task<IReadOnlyList<Conductor.Federation.AuditRecord>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var maps = await kube.CoreV1.ListNamespacedConfigMapAsync(
            @namespace, labelSelector: $"{AuditLabel}=true,{ClusterIdLabel}={clusterId}", cancellationToken: cancellationToken);
        return [.. maps.Items
            .OrderBy(m => m.Metadata.Name, StringComparer.Ordinal)
            .SelectMany(m => JsonSerializer.Deserialize<List<Conductor.Federation.AuditRecord>>(m.Data[EventsKey], Json) ?? [])];
    }
}
