using Orleans.Configuration;

namespace Conductor.Silo.Membership;

/// <summary>
/// Failure detection and directory recovery tuned for the target "a killed silo's tenants reconnect and resume within
/// 10 s" (Orleans' defaults take ~15 s only to suspect a silo). A silo that misses two 2 s probes from two peers is
/// declared dead in ~4–6 s, and its grains may re-register elsewhere after a short directory lease instead of the default.
/// </summary>
public static class FailoverTuning
{
    /// <summary>One direct probe's timeout; indirect probes through another silo still guard against a false verdict.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public const int MissedProbesLimit = 2;

    public const int VotesForDeath = 2;

    /// <summary>
    /// How long a crashed silo's grains stay reserved before re-registering elsewhere, counted from its estimated failure
    /// time. It only needs to outlast the detection window: a silo declared dead stops itself when it reads its row.
    /// </summary>
    public static readonly TimeSpan DirectoryLease = TimeSpan.FromSeconds(2);

    public static ISiloBuilder UseFailoverTuning(this ISiloBuilder silo)
    {
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = ProbeTimeout;
            membership.NumMissedProbesLimit = MissedProbesLimit;
            membership.NumVotesForDeathDeclaration = VotesForDeath;
            // Votes older than this are ignored; two votes 2 s apart must still count together under load.
            membership.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(20);
        });
        silo.Configure<GrainDirectoryOptions>(directory => directory.RangeLeaseDuration = DirectoryLease);
        return silo;
    }
}
