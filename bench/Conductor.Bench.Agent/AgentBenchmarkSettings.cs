using System.Globalization;

namespace Conductor.Bench.Agent;

/// <summary>
/// Command line: <c>[--runs N] [--idle-seconds S] [--conductor path] [--baseline-app path]</c>. Each path is a
/// framework-dependent <c>.dll</c> (run with <c>dotnet</c>) or a self-contained apphost (run directly). By default both
/// are the published forms under <c>.artifacts/bench-agent/</c>, published as the image publishes (README).
/// </summary>
internal sealed record AgentBenchmarkSettings(
    int Runs, TimeSpan Idle, BenchProgram Conductor, BenchProgram Baseline, IReadOnlyDictionary<string, string> ImageEnvironment, string? TenantKubeconfig)
{
    private const string Usage = "usage: [--runs N] [--idle-seconds S] [--conductor conductor.dll|conductor] [--baseline-app Conductor.Bench.Agent.dll|Conductor.Bench.Agent]";

    // What Dockerfile.agent ships, and the baseline published the same way (README: "Publish first").
    private const string PublishedAgent = ".artifacts/bench-agent/agent/conductor";
    private const string PublishedBaseline = ".artifacts/bench-agent/baseline/Conductor.Bench.Agent";

    public static AgentBenchmarkSettings Parse(string[] args)
    {
        var runs = 5;
        var idle = TimeSpan.FromSeconds(30); // a connected tenant keeps growing for its first ~30 s (README, session 8)
        string? conductor = null;
        string? baseline = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value; {Usage}");
            switch (args[i])
            {
                case "--runs": runs = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--idle-seconds": idle = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture)); i++; break;
                case "--conductor": conductor = value; i++; break;
                case "--baseline-app": baseline = value; i++; break;
                default: throw new ArgumentException($"unknown argument {args[i]}; {Usage}");
            }
        }
        conductor ??= Path.Combine(RepositoryRoot(), PublishedAgent);
        baseline ??= Path.Combine(RepositoryRoot(), PublishedBaseline);
        // The connected tenant runs on its own cluster when the tenant apiserver is up (scripts/test-servers.sh), as in production.
        var tenantKubeconfig = Environment.GetEnvironmentVariable("TENANT_KUBECONFIG");
        return new AgentBenchmarkSettings(runs, idle, BenchProgram.At(conductor), BenchProgram.At(baseline, "--baseline"),
            DockerfileEnvironment.Read(Path.Combine(RepositoryRoot(), "Dockerfile.agent")), string.IsNullOrEmpty(tenantKubeconfig) ? null : tenantKubeconfig);
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
