namespace Conductor.Silo.Leadership;

/// <summary>Whether this replica holds the cluster's Lease, and a token that ends the moment it stops holding it.</summary>
public interface ILeadership
{
    /// <summary>This replica's identity in the Lease (its pod name).</summary>
    string Identity { get; }

    /// <summary>The holder last observed in the Lease, or null before the first observation.</summary>
    string? CurrentLeader { get; }

    /// <summary>True while this replica leads and its last renewal is within the renew deadline.</summary>
    bool IsLeader { get; }

    /// <summary>
    /// The current term's token: cancelled the instant leadership is lost. Already cancelled when this replica does
    /// not lead.
    /// </summary>
    CancellationToken LeaderToken { get; }

    /// <summary>Completes with the term's token once this replica leads (at once if it already does).</summary>
    Task<CancellationToken> WaitForLeadershipAsync(CancellationToken cancellationToken);
}
