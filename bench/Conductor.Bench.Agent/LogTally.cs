namespace Conductor.Bench.Agent;

/// <summary>
/// Counts the error lines a measured process logs (JSON console, "LogLevel":"Error" or "Critical") and keeps the first:
/// a process stuck retrying (a missing RunnerConfig, a Lease it cannot write) idles differently from a healthy one, so
/// its figure is flagged rather than silently reported.
/// </summary>
internal sealed class LogTally
{
    private int _errors;
    private string? _first;

    public int Errors => Volatile.Read(ref _errors);

    public string? FirstError => Volatile.Read(ref _first);

    public void Observe(string? line)
    {
        if (line is null || !(line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)))
        {
            return;
        }
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _first, line.Length > 400 ? line[..400] : line, null);
    }
}
