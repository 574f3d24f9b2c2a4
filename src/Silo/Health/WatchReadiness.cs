namespace Conductor.Silo.Health;

/// <summary>
/// The watches readiness waits for. A watcher registers when it is created, marks itself synced once its first list
/// has been delivered, and reports why a list failed meanwhile, so a not-ready probe names the watch and the cause.
/// </summary>
public sealed class WatchReadiness
{
    private readonly Lock _gate = new();
    private readonly List<WatchSync> _watches = [];

    /// <summary>Registers a watch that is not yet synced; dispose the result when the watch is gone for good.</summary>
    public WatchSync Register(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var watch = new WatchSync(this, name);
        lock (_gate)
        {
            _watches.Add(watch);
        }
        return watch;
    }

    /// <summary>Every registered watch and its state, in registration order.</summary>
    public IReadOnlyList<WatchSyncState> Snapshot()
    {
        lock (_gate)
        {
            return [.. _watches.Select(w => w.State)];
        }
    }

    internal void Remove(WatchSync watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }
}
