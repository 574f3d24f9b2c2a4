using Conductor.Sequencing;

namespace Conductor.Silo.Sequencing;

/// <summary>
/// Hands watch events to the sequencer grains without holding up the watches. Calls for one RunnerConfig are
/// coalesced: while a pass runs, later events collapse into one more pass (each pass re-reads everything, so none is
/// lost). At most <see cref="MaxConcurrentPasses"/> passes run at once; a failed pass is retried after a delay.
/// </summary>
public sealed partial class SequencerDispatcher(IGrainFactory grains, TimeProvider time, ILogger<SequencerDispatcher> logger) : IAsyncDisposable
{
    public const int MaxConcurrentPasses = 64;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _slots = new(MaxConcurrentPasses);
    private readonly Dictionary<string, Func<IStepSequencerGrain, Task>?> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();

    /// <summary>Queues <paramref name="call"/> for the grain of RunnerConfig <paramref name="key"/> (<c>namespace/name</c>).</summary>
    public void Enqueue(string key, Func<IStepSequencerGrain, Task> call)
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            if (_pending.ContainsKey(key))
            {
                // A pass is running: remember only the latest call; it re-reads everything anyway.
                _pending[key] = call;
                return;
            }
            _pending[key] = null;
            var run = Task.Run(() => RunAsync(key, call));
            _running.Add(run);
            _ = run.ContinueWith(t => { lock (_gate) { _running.Remove(t); } }, TaskScheduler.Default);
        }
    }

    /// <summary>Stops taking calls and waits for the passes in progress.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_gate)
        {
            _stopping.Cancel();
            running = [.. _running];
        }
        await Task.WhenAll(running).WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task RunAsync(string key, Func<IStepSequencerGrain, Task>? call)
    {
        var stopping = _stopping.Token;
        try
        {
            while (call is not null && !stopping.IsCancellationRequested)
            {
                if (!await TryCallAsync(key, call, stopping))
                {
                    await Task.Delay(RetryDelay, time, stopping);
                    lock (_gate)
                    {
                        // Retry the failed call unless a newer one arrived meanwhile.
                        _pending[key] ??= call;
                    }
                }
                lock (_gate)
                {
                    call = _pending[key];
                    _pending[key] = null;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the next silo's watches replay the state.
        }
        finally
        {
            lock (_gate)
            {
                _pending.Remove(key);
            }
        }
    }

    private async Task<bool> TryCallAsync(string key, Func<IStepSequencerGrain, Task> call, CancellationToken stopping)
    {
        await _slots.WaitAsync(stopping);
        try
        {
            await call(grains.GetGrain<IStepSequencerGrain>(key));
            return true;
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            LogPassFailed(logger, key, RetryDelay.TotalSeconds, e.Message, e);
            return false;
        }
        finally
        {
            _slots.Release();
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Sequencing RunnerConfig {Key} failed, retrying in {DelaySeconds} s: {Reason}")]
    private static partial void LogPassFailed(ILogger logger, string key, double delaySeconds, string reason, Exception exception);
}
