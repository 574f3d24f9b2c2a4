using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Conductor.TestSupport.Logging;

/// <summary>
/// Keeps every log entry so a test can assert key events by name and fail on unexpected errors.
/// Use <see cref="WaitForAsync"/> to wait for an entry that another thread logs.
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLog> _entries = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<RecordedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public ILogger<T> CreateLogger<T>() => new Logger<T>(new SingleProviderFactory(this));

    /// <summary>Waits until an entry matches, for at most <paramref name="timeout"/> (default 10 s).</summary>
    public async Task<RecordedLog> WaitForAsync(Func<RecordedLog, bool> match, TimeSpan? timeout = null)
    {
        using var cap = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task signal;
            lock (_lock)
            {
                signal = _logged.Task;
            }

            if (_entries.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await signal.WaitAsync(cap.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    "No matching log entry arrived. Logged:\n" + string.Join('\n', _entries.Select(e => $"{e.Level} {e.EventId.Name}: {e.Message}")));
            }
        }
    }

    public void Dispose()
    {
    }

    private void Add(RecordedLog entry)
    {
        _entries.Enqueue(entry);
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _logged;
            _logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private sealed class RecordingLogger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Add(new RecordedLog(category, logLevel, eventId, formatter(state, exception), exception));
    }

    private sealed class SingleProviderFactory(ILoggerProvider provider) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
