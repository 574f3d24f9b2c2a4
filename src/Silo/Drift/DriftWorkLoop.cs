using System.Collections.Concurrent;
using System.Threading.Channels;
using Conductor.Silo.Leadership;

namespace Conductor.Silo.Drift;

/// <summary>
/// The single worker behind each drift service: watch events enqueue keys (a key already waiting is not queued twice),
/// a resync every <c>DRIFT_RESYNC_PERIOD</c> enqueues everything, and keys are processed one at a time and only while
/// this replica leads; on gaining leadership everything is enqueued again, so nothing seen while following is lost.
/// A failed key is logged and retried at the next resync.
/// </summary>
public sealed partial class DriftWorkLoop<TKey> : IAsyncDisposable
    where TKey : notnull
{
    private readonly Channel<TKey> _work = Channel.CreateUnbounded<TKey>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<TKey, byte> _waiting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _what;
    private readonly Func<IEnumerable<TKey>> _all;
    private readonly Func<TKey, CancellationToken, Task> _process;
    private readonly ILeadership _leadership;
    private readonly TimeSpan _resync;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Task? _worker;
    private Task? _resyncLoop;
    private int _processed;

    public DriftWorkLoop(string what, Func<IEnumerable<TKey>> all, Func<TKey, CancellationToken, Task> process, ILeadership leadership,
        TimeSpan resync, TimeProvider time, ILogger logger)
    {
        _what = what;
        _all = all;
        _process = process;
        _leadership = leadership;
        _resync = resync;
        _time = time;
        _logger = logger;
    }

    /// <summary>Keys processed (successfully or not) so far.</summary>
    public int Processed => Volatile.Read(ref _processed);

    public void Enqueue(TKey key)
    {
        if (_waiting.TryAdd(key, 0))
        {
            _work.Writer.TryWrite(key);
        }
    }

    public void EnqueueAll()
    {
        foreach (var key in _all())
        {
            Enqueue(key);
        }
    }

    public void Start()
    {
        _worker ??= Task.Run(() => WorkAsync(_stopping.Token), CancellationToken.None);
        _resyncLoop ??= Task.Run(() => ResyncAsync(_stopping.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync();
        foreach (var task in new[] { _worker, _resyncLoop })
        {
            if (task is not null)
            {
                await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        _stopping.Dispose();
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (!_leadership.IsLeader)
                {
                    await _leadership.WaitForLeadershipAsync(stopping);
                    LogLeading(_logger, _what);
                    EnqueueAll();
                }
                var key = await _work.Reader.ReadAsync(stopping);
                _waiting.TryRemove(key, out _);
                if (!_leadership.IsLeader)
                {
                    // Followers write nothing; the key is enqueued again when this replica leads.
                    continue;
                }
                try
                {
                    await _process(key, stopping);
                }
                catch (NotLeaderException)
                {
                    // Lost leadership mid-write: the next leader starts from what is stored.
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    LogFailed(_logger, _what, key.ToString() ?? "", e.Message, e);
                }
                Interlocked.Increment(ref _processed);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ResyncAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_resync, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                EnqueueAll();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Leading: checking every {What} for drift")]
    private static partial void LogLeading(ILogger logger, string what);

    [LoggerMessage(2, LogLevel.Warning, "Drift handling of {What} {Key} failed, retrying at the next resync: {Reason}")]
    private static partial void LogFailed(ILogger logger, string what, string key, string reason, Exception exception);
}
