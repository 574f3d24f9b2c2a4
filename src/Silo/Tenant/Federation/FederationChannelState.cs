namespace Conductor.Silo.Tenant.Federation;

/// <summary>
/// Whether the tenant's federation channel is usable. It is degraded when a connect attempt failed or the stream
/// was lost, or when management left <c>MissedAckThreshold</c> heartbeats in a row unacknowledged; before the first
/// attempt it is neither live nor degraded. Losing the channel changes this state and nothing else.
/// </summary>
public sealed class FederationChannelState
{
    private readonly Lock _lock = new();
    private FederationSession? _live;
    private bool _lost;
    private bool _acksMissed;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The session whose stream is open and has heard from management, or null.</summary>
    public FederationSession? Live
    {
        get
        {
            lock (_lock)
            {
                return _live;
            }
        }
    }

    public bool Degraded
    {
        get
        {
            lock (_lock)
            {
                return _lost || _acksMissed;
            }
        }
    }

    /// <summary>Completes at the next change of <see cref="Live"/> or <see cref="Degraded"/>.</summary>
    public Task NextChangeAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }

    internal void SetLive(FederationSession session) => Update(() => (_live, _lost, _acksMissed) = (session, false, false));

    internal void SetLost(FederationSession? session) => Update(() =>
    {
        if (session is null || ReferenceEquals(_live, session) || _live is null)
        {
            (_live, _lost) = (null, true);
        }
    });

    internal void SetAcksMissed(bool missed) => Update(() => _acksMissed = missed);

    private void Update(Action change)
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            change();
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
