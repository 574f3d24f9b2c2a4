using System.Globalization;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Conductor.Grains.Federation.Storage;

/// <summary>
/// The durable audit store of one cluster on the management cluster (DESIGN §4: what must survive a restart lives
/// in Kubernetes). Events are written as immutable ConfigMap chunks <c>audit-{cluster}-{firstSequence:D20}</c>
/// (binaryData key <see cref="EventsKey"/>: a zlib-compressed protobuf <c>AuditEventBatch</c>, see
/// <see cref="AuditChunkWriter"/>; chunks of earlier versions hold a gzip JSON array under <see cref="JsonEventsKey"/>
/// and still read), at most <see cref="MaxChunkEvents"/> events and <see cref="MaxChunkBytes"/> bytes, under the
/// 1 MiB object limit: few large writes, because each apiserver
/// write costs far more than its bytes. ConfigMap <c>audit-{cluster}-hwm</c> holds a checkpoint of the highest
/// contiguous stored sequence, replaced only with the resourceVersion last read and written only now and then: the
/// chunks themselves are the truth, since the chunk after sequence <c>n</c> is named after <c>n + 1</c>, so
/// <see cref="RecoverHighWaterMarkAsync"/> follows the chain from the checkpoint to the last chunk. Each tenant replica
/// has its own WAL and sequence space, so a named replica's objects are <c>audit-{cluster}.{replica}-…</c> (a dot
/// cannot occur in either DNS label, so no two pairs share a name) and carry label <see cref="ReplicaLabel"/>.
/// </summary>
public sealed class AuditChunkStore(IKubernetes kube, string @namespace, string clusterId, string replica = "")
{
    public const int MaxChunkEvents = 16_384;
    public const int MaxChunkBytes = 640 * 1024;
    public const string EventsKey = "events.pb.zlib";

    /// <summary>The key of chunks written before the protobuf encoding (a gzip JSON array); still read, never written.</summary>
    public const string JsonEventsKey = "events.json.gz";
    public const string HighWaterMarkKey = "highWaterMark";
    public const string AuditLabel = "seam.ontai.dev/audit-batch";
    public const string ClusterIdLabel = "seam.ontai.dev/cluster-id";
    public const string ReplicaLabel = "seam.ontai.dev/replica";
    public const string FirstSequenceAnnotation = "seam.ontai.dev/first-sequence";
    public const string LastSequenceAnnotation = "seam.ontai.dev/last-sequence";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Namespace => @namespace;

    private readonly string _source = replica.Length == 0 ? clusterId : clusterId + "." + replica;

    public string HighWaterMarkName => $"audit-{_source}-hwm";

    public string ChunkName(ulong firstSequence) =>
        $"audit-{_source}-{firstSequence.ToString("D20", CultureInfo.InvariantCulture)}";

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
    /// The highest contiguous stored sequence: the checkpoint, then every chunk that continues it (a chunk written
    /// after the last checkpoint, or before a crash), and the resourceVersion guarding the checkpoint.
    /// </summary>
    public async Task<(ulong Value, string? ResourceVersion)> RecoverHighWaterMarkAsync(CancellationToken cancellationToken)
    {
        var (checkpoint, resourceVersion) = await ReadHighWaterMarkAsync(cancellationToken);
        return (await FollowChunksAsync(checkpoint, cancellationToken), resourceVersion);
    }

    /// <summary>The end of the run of chunks continuing <paramref name="highWaterMark"/>: one read per chunk.</summary>
    public async Task<ulong> FollowChunksAsync(ulong highWaterMark, CancellationToken cancellationToken)
    {
        while (await ReadLastSequenceAsync(ChunkName(highWaterMark + 1), highWaterMark + 1, cancellationToken) is { } last)
        {
            highWaterMark = last;
        }

        return highWaterMark;
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
                Labels = Labels(),
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
    public async Task<ulong> CreateChunkAsync(IReadOnlyList<Conductor.Federation.AuditRecord> events, byte[] payload, CancellationToken cancellationToken)
    {
        var first = events[0].Sequence;
        var last = events[^1].Sequence;
        var map = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = ChunkName(first),
                NamespaceProperty = @namespace,
                Labels = new Dictionary<string, string>(Labels()) { [AuditLabel] = "true" },
                Annotations = new Dictionary<string, string>
                {
                    [FirstSequenceAnnotation] = first.ToString(CultureInfo.InvariantCulture),
                    [LastSequenceAnnotation] = last.ToString(CultureInfo.InvariantCulture),
                },
            },
            BinaryData = new Dictionary<string, byte[]> { [EventsKey] = payload },
        };
        try
        {
            await kube.CoreV1.CreateNamespacedConfigMapAsync(map, @namespace, cancellationToken: cancellationToken);
            return last;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return await ReadLastSequenceAsync(map.Metadata.Name, first, cancellationToken)
                ?? throw new InvalidOperationException($"Audit chunk ConfigMap {@namespace}/{map.Metadata.Name} existed and then vanished; retry");
        }
    }

    /// <summary>The last sequence the chunk <paramref name="name"/> holds, or null when there is no such chunk.</summary>
    private async Task<ulong?> ReadLastSequenceAsync(string name, ulong first, CancellationToken cancellationToken)
    {
        V1ObjectMeta metadata;
        try
        {
            metadata = (await kube.CoreV1.ReadNamespacedConfigMapAsync(name, @namespace, cancellationToken: cancellationToken)).Metadata;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var text = metadata.Annotations is { } found && found.TryGetValue(LastSequenceAnnotation, out var raw) ? raw : null;
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var held) && held >= first
            ? held
            : throw new InvalidDataException(
                $"Audit chunk ConfigMap {@namespace}/{name} has annotation {LastSequenceAnnotation}='{text}'; " +
                "it must be the chunk's last sequence. Delete the damaged chunk so the tenant's replay rewrites it");
    }

    /// <summary>
    /// Reads every stored event of this cluster, in sequence order, each once (tests and audits): two sink
    /// activations racing through a silo handover can leave chunks that overlap, never ones that disagree.
    /// </summary>
    public async Task<IReadOnlyList<Conductor.Federation.AuditRecord>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var maps = await kube.CoreV1.ListNamespacedConfigMapAsync(
            @namespace, labelSelector: $"{AuditLabel}=true,{ClusterIdLabel}={clusterId}," + (replica.Length == 0 ? $"!{ReplicaLabel}" : $"{ReplicaLabel}={replica}"), cancellationToken: cancellationToken);
        return [.. maps.Items
            .OrderBy(m => m.Metadata.Name, StringComparer.Ordinal)
            .SelectMany(m => AuditChunkReader.Read($"{@namespace}/{m.Metadata.Name}", m.BinaryData))
            .DistinctBy(e => e.Sequence)
            .OrderBy(e => e.Sequence)];
    }

    private Dictionary<string, string> Labels() => replica.Length == 0
        ? new() { [ClusterIdLabel] = clusterId }
        : new() { [ClusterIdLabel] = clusterId, [ReplicaLabel] = replica };
}
