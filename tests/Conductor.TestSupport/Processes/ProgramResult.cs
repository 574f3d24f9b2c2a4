namespace Conductor.TestSupport.Processes;

/// <summary>What one run of a built program left behind.</summary>
public sealed record ProgramResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The non-empty lines the program wrote to stderr.</summary>
    public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
