namespace Conductor.Federation;

/// <summary>
/// One per tenant cluster (key: cluster id): stores the cluster's audit events durably in Kubernetes,
/// deduplicating on sequence (a replay stores nothing twice).
/// </summary>
public interface IAuditSinkGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the events of <paramref name="batch"/> that extend the contiguous run already held and returns the
    /// highest contiguous sequence durably stored afterwards: the value to acknowledge. Events at or below it are
    /// duplicates and ignored; events past a gap are not stored (the tenant replays them in order).
    /// </summary>
    Task<ulong> StoreAsync(AuditBatch batch);

    /// <summary>The highest contiguous sequence durably stored (0 when none).</summary>
    Task<ulong> GetHighWaterMarkAsync();
}
