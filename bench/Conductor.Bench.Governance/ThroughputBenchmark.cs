using System.Diagnostics;

namespace Conductor.Bench.Governance;

/// <summary>Closed-loop throughput: <c>callers</c> concurrent loops each awaiting one unary call at a time, for a fixed time.</summary>
internal static class ThroughputBenchmark
{
    public static async Task<double> CallsPerSecondAsync(Func<CancellationToken, Task> call, int callers, TimeSpan warmup, TimeSpan duration)
    {
        await RunAsync(call, callers, warmup);
        var watch = Stopwatch.StartNew();
        var calls = await RunAsync(call, callers, duration);
        return calls / watch.Elapsed.TotalSeconds;
    }

    private static async Task<long> RunAsync(Func<CancellationToken, Task> call, int callers, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        long count = 0;
        var loops = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await call(CancellationToken.None);
                Interlocked.Increment(ref count);
            }
        }));
        await Task.WhenAll(loops);
        return count;
    }
}
