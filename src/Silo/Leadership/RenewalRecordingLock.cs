using k8s.LeaderElection;

namespace Conductor.Silo.Leadership;

/// <summary>
/// Wraps the Lease lock and remembers when this replica last created or renewed the Lease. The election uses it as a
/// local fence: a leader whose last renewal is older than the renew deadline stops counting as leader even before
/// the elector notices.
/// </summary>
internal sealed class RenewalRecordingLock(ILock inner, TimeProvider time) : ILock
{
    private long _lastRenewalTicks = long.MinValue;

    public string Identity => inner.Identity;

    /// <summary>When this replica last wrote the Lease successfully, or null.</summary>
    public DateTimeOffset? LastRenewal
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastRenewalTicks);
            return ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default) => inner.GetAsync(cancellationToken);

    public async Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        Record(await inner.CreateAsync(record, cancellationToken));

    public async Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        Record(await inner.UpdateAsync(record, cancellationToken));

    public string Describe() => inner.Describe();

    private bool Record(bool written)
    {
        if (written)
        {
            Interlocked.Exchange(ref _lastRenewalTicks, time.GetUtcNow().UtcTicks);
        }
        return written;
    }
}
