using System.Diagnostics;

namespace Conductor.Bench;

/// <summary>
/// A program a benchmark starts, the one way every bench decides how: a framework-dependent <c>.dll</c> runs as
/// <c>dotnet x.dll</c> (a build output), anything else (the apphost of a self-contained publish) runs directly, as its
/// image's entrypoint would. Linked into each bench project that starts our programs (bench/Shared).
/// </summary>
internal sealed record BenchProgram(string Path, IReadOnlyList<string> Arguments)
{
    public bool IsAssembly => Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>What to execute: <c>dotnet</c> for an assembly, else the program itself.</summary>
    public string FileName => IsAssembly ? "dotnet" : Path;

    /// <summary>The arguments before the program's own: the assembly's path for <c>dotnet</c>, then <see cref="Arguments"/>.</summary>
    public IReadOnlyList<string> LeadingArguments => IsAssembly ? [Path, .. Arguments] : Arguments;

    public static BenchProgram At(string path, params string[] arguments)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"{full} does not exist: build or publish it (see the bench's README) or pass another path", full);
        }
        return new BenchProgram(full, arguments);
    }

    public ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo(FileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in LeadingArguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    public override string ToString() => IsAssembly ? $"dotnet {Path}" : Path;
}
