namespace Conductor.Bench.Compiler;

/// <summary>
/// What to time. <c>--compiler label=path</c> (repeatable) names a compiler build: a <c>.dll</c> runs under
/// <c>dotnet</c>, anything else (an apphost or a native binary) runs directly. <c>--runs N</c> per scenario.
/// </summary>
internal sealed record BenchmarkSettings(IReadOnlyList<(string Label, string Path)> Compilers, int Runs, string RepositoryRoot)
{
    public const int DefaultRuns = 20;

    public static BenchmarkSettings Parse(string[] args)
    {
        var compilers = new List<(string, string)>();
        var runs = DefaultRuns;
        var root = FindRepositoryRoot();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--compiler" when i + 1 < args.Length && args[i + 1].Split('=', 2) is [var label, var path]:
                    compilers.Add((label, Path.GetFullPath(path)));
                    i++;
                    break;
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                default:
                    throw new ArgumentException(
                        $"unknown argument '{args[i]}': use --compiler label=path (repeatable) and --runs N");
            }
        }
        if (compilers.Count == 0)
        {
            compilers.Add(("jit", Path.Combine(root, "src/Compiler/bin/Release/net10.0/compiler.dll")));
        }
        foreach (var (label, path) in compilers)
        {
            if (!File.Exists(path))
            {
                throw new ArgumentException($"compiler '{label}' at {path} does not exist: build it (dotnet build -c Release src/Compiler) or pass --compiler label=path");
            }
        }
        return new BenchmarkSettings(compilers, runs, root);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "Conductor.sln")))
            {
                return directory;
            }
        }
        throw new InvalidOperationException("run the benchmark from its build output inside the repository");
    }
}
