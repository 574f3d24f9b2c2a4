namespace Conductor.Bench.Agent;

/// <summary>Command line: <c>[--runs N] [--idle-seconds S] [--conductor path/to/conductor.dll]</c>.</summary>
internal sealed record AgentBenchmarkSettings(int Runs, TimeSpan Idle, string Conductor)
{
    public static AgentBenchmarkSettings Parse(string[] args)
    {
        var runs = 5;
        var idle = TimeSpan.FromSeconds(5);
        string? conductor = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--runs": runs = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); i++; break;
                case "--idle-seconds": idle = TimeSpan.FromSeconds(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)); i++; break;
                case "--conductor": conductor = Path.GetFullPath(value); i++; break;
                default: throw new ArgumentException($"unknown argument {args[i]}; usage: [--runs N] [--idle-seconds S] [--conductor conductor.dll]");
            }
        }
        conductor ??= Path.Combine(RepositoryRoot(), "src/Silo/bin/Release/net10.0/conductor.dll");
        if (!File.Exists(conductor))
        {
            throw new FileNotFoundException($"{conductor} does not exist: run `dotnet build -c Release src/Silo` or pass --conductor");
        }
        return new AgentBenchmarkSettings(runs, idle, conductor);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Conductor.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no Conductor.sln above {AppContext.BaseDirectory}; pass --conductor");
    }
}
