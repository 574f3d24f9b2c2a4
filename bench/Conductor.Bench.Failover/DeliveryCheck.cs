using Conductor.Grains.Federation.Storage;

namespace Conductor.Bench.Failover;

/// <summary>What management stored for one tenant against what its WAL reported durable.</summary>
public sealed record DeliveryCheck(string ClusterId, ulong Last, int Stored, int Lost, int Duplicated, int Mismatched)
{
    /// <summary>
    /// Reads every audit chunk of the tenant's sink (the ConfigMaps the grains wrote) once its WAL has every event
    /// acknowledged: sequences 1..last must each appear once, carrying the event recorded under it.
    /// </summary>
    public static async Task<DeliveryCheck> OfAsync(BenchCluster cluster, BenchTenant tenant)
    {
        var last = tenant.Wal.LastSequence;
        var stored = await new AuditChunkStore(cluster.Management, cluster.ManagementNamespace, tenant.ClusterId).ReadAllAsync(CancellationToken.None);
        var sequences = stored.Select(r => r.Sequence).ToList();
        var distinct = sequences.ToHashSet();
        var lost = 0;
        for (ulong sequence = 1; sequence <= last; sequence++)
        {
            lost += distinct.Contains(sequence) ? 0 : 1;
        }

        var mismatched = stored.Count(r => tenant.Durable.TryGetValue(r.Sequence, out var name) && name != r.Name);
        return new DeliveryCheck(tenant.ClusterId, last, sequences.Count, lost, sequences.Count - distinct.Count, mismatched);
    }
}
