namespace Conductor.Silo.Health;

/// <summary>One watch's entry in <see cref="WatchReadiness"/>.</summary>
public sealed class WatchSync : IDisposable
{
    private readonly WatchReadiness _owner;
    private volatile WatchSyncState _state;

    internal WatchSync(WatchReadiness owner, string name)
    {
        _owner = owner;
        _state = new WatchSyncState(name, Synced: false, LastError: null);
    }

    public WatchSyncState State => _state;

    /// <summary>The first list has been delivered; stays synced for the rest of the watch's life.</summary>
    public void MarkSynced() => _state = _state with { Synced = true, LastError = null };

    /// <summary>Records why the latest list or watch failed; a synced watch stays synced.</summary>
    public void ReportFailure(string reason)
    {
        var state = _state;
        if (!state.Synced)
        {
            _state = state with { LastError = reason };
        }
    }

    public void Dispose() => _owner.Remove(this);
}
