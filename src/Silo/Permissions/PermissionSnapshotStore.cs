namespace Conductor.Silo.Permissions;

/// <summary>
/// The snapshot this replica answers from, swapped atomically as a whole. Starts empty (not ready); every replica
/// fills its own from its own watch, so non-leaders serve too.
/// </summary>
public sealed class PermissionSnapshotStore
{
    private readonly TaskCompletionSource _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile LoadedSnapshot? _current;

    public LoadedSnapshot? Current => _current;

    public bool Ready => _current is not null;

    public void Load(LoadedSnapshot snapshot)
    {
        _current = snapshot;
        _firstLoad.TrySetResult();
    }

    /// <summary>Back to not ready: no snapshot is verified any more.</summary>
    public void Clear() => _current = null;

    /// <summary>Completes once a verified snapshot has been loaded the first time.</summary>
    public Task FirstLoadAsync(CancellationToken cancellationToken) => _firstLoad.Task.WaitAsync(cancellationToken);
}
