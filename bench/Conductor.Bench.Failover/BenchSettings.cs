using System.Globalization;

namespace Conductor.Bench.Failover;

/// <summary>
/// Command line: <c>[--tenants N] [--silos S] [--events-per-second E] [--reconnect-initial-ms M] [--conductor path/to/conductor.dll or a published apphost]</c>, with
/// both apiservers from <c>KUBECONFIG</c> and <c>TENANT_KUBECONFIG</c>.
/// </summary>
public sealed record BenchSettings(
    int Tenants, int Silos, int EventsPerSecond, TimeSpan? ReconnectInitialDelay, string Conductor, string ManagementKubeconfig, string TenantKubeconfig)
{
    public static BenchSettings Parse(string[] args)
    {
        var (tenants, silos, rate) = (30, 3, 20);
        string? conductor = null;
        TimeSpan? initial = null;
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--tenants": tenants = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--silos": silos = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--events-per-second": rate = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--reconnect-initial-ms": initial = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)); break;
                case "--conductor": conductor = Path.GetFullPath(value); break;
                default: throw new ArgumentException($"unknown argument {args[i]}; usage: [--tenants N] [--silos S] [--events-per-second E] [--reconnect-initial-ms M] [--conductor conductor.dll|apphost]");
            }
        }

        if (silos < 3)
        {
            // The kill needs two survivors: FailoverTuning declares a silo dead on two votes.
            throw new ArgumentException($"--silos {silos}: at least 3 (one stopped gracefully and restarted, one killed, two survivors voting)");
        }

        conductor ??= Path.Combine(RepositoryRoot(), "src/Silo/bin/Release/net10.0/conductor.dll");
        if (!File.Exists(conductor))
        {
            throw new FileNotFoundException($"{conductor} does not exist: run `dotnet build -c Release src/Silo` or pass --conductor");
        }

        return new BenchSettings(tenants, silos, rate, initial, conductor, Variable("KUBECONFIG"), Variable("TENANT_KUBECONFIG"));
    }

    private static string Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set: run `scripts/test-servers.sh up` and `source .ci/out/test-env.sh`");

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
