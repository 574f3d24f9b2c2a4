using System.Diagnostics;

namespace Conductor.Bench.Agent;

/// <summary>
/// One program the bench starts: a framework-dependent <c>.dll</c> runs as <c>dotnet x.dll</c>, anything else (the
/// apphost of a self-contained publish) runs directly, as its image's entrypoint would.
/// </summary>
internal sealed record AgentProgram(string Path, IReadOnlyList<string> Arguments)
{
    public bool IsAssembly => Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    public static AgentProgram At(string path, params string[] arguments)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"{full} does not exist: publish it (see bench/Conductor.Bench.Agent/README.md) or pass another path", full);
        }
        return new AgentProgram(full, arguments);
    }

    public ProcessStartInfo StartInfo()
    {
        var start = IsAssembly ? new ProcessStartInfo("dotnet") : new ProcessStartInfo(Path);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        if (IsAssembly)
        {
            start.ArgumentList.Add(Path);
        }
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    public override string ToString() => IsAssembly ? $"dotnet {Path}" : Path;
}
