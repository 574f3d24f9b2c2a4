using System.Diagnostics;
using System.Text;

namespace Conductor.TestSupport.Processes;

/// <summary>
/// A long-running program (the agent) started by a test. Disposing it kills the process tree, so a failing test never
/// leaves a server behind.
/// </summary>
public sealed class RunningProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private RunningProgram(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout { get { lock (_stdout) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

    /// <summary>Starts <paramref name="assemblyName"/> the way <see cref="ProgramRunner"/> runs it, without waiting.</summary>
    public static RunningProgram Start(string assemblyName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = ProgramRunner.CreateStartInfo(assemblyName, args, environment);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {assemblyName}.dll");
        return new RunningProgram(process);
    }

    /// <summary>Sends SIGTERM, as Kubernetes does on pod deletion, and waits for the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the program did not stop within {timeout} of SIGTERM; it was killed.\n{this}");
        }
        return _process.ExitCode;
    }

    public override string ToString() => $"--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
