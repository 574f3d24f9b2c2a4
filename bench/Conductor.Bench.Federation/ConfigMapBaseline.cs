using System.Diagnostics;
using Conductor.Federation;
using Conductor.Grains.Federation.Storage;
using k8s;
using k8s.Models;

namespace Conductor.Bench.Federation;

/// <summary>
/// The apiserver's own ceiling for the audit sink, in the same run: sequential ConfigMap creates carrying one full
/// compressed audit chunk (the sink's unit of work), and the events per second that rate allows one cluster.
/// </summary>
public static class ConfigMapBaseline
{
    public static async Task<(double WritesPerSecond, double EventsPerSecond, int ChunkBytes)> MeasureAsync(IKubernetes kube, string @namespace, int writes)
    {
        var events = Enumerable.Range(1, AuditChunkStore.MaxChunkEvents).Select(i =>
        {
            var e = AuditBatches.Event((ulong)i);
            return new AuditRecord((ulong)i, null, e.Actor, e.Verb, e.Resource, e.Namespace, e.Name, e.Outcome, e.MatchedPolicy);
        }).ToList();
        var (chunk, payload) = AuditChunking.FirstChunk(events);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < writes; i++)
        {
            await kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = $"baseline-{i}", NamespaceProperty = @namespace },
                BinaryData = new Dictionary<string, byte[]> { [AuditChunkStore.EventsKey] = payload },
            }, @namespace);
        }

        var perSecond = writes / clock.Elapsed.TotalSeconds;
        return (perSecond, perSecond * chunk.Count, payload.Length);
    }
}
