namespace Conductor.Silo.Leadership;

/// <summary>A leader-only write was refused because this replica does not (or no longer) hold the Lease.</summary>
public sealed class NotLeaderException(string write, string identity)
    : InvalidOperationException($"Refused to {write}: replica {identity} does not hold the leader Lease; only the leader writes.")
{
    public string Write { get; } = write;
}
