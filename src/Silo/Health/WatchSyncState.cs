namespace Conductor.Silo.Health;

/// <summary>A watch as readiness sees it: whether its first list is in, and the last failure while it is not.</summary>
public sealed record WatchSyncState(string Name, bool Synced, string? LastError);
