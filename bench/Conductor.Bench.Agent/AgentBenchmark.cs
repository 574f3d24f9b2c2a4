using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Conductor.Bench.Agent;

/// <summary>
/// Starts each scenario as a real process (<c>dotnet x.dll</c> or a self-contained apphost), times process start to the first 200 on
/// <c>/readyz</c>, lets it idle, then reads VmRSS from /proc. Runs interleave the scenarios so load hits all alike. The
/// management silo runs with its federation listener (mTLS), and one tenant scenario dials it, as in production; the
/// other tenant has no management configured (what sessions 1-7 measured). Every process gets Dockerfile.agent's ENV.
/// </summary>
internal static class AgentBenchmark
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private const string TenantClusterId = "bench-tenant";

    private sealed record Scenario(string Name, BenchProgram Program, string? Role, bool Connected = false);

    public static async Task<int> RunAsync(AgentBenchmarkSettings settings, TextWriter output)
    {
        var scenarios = new Scenario[]
        {
            new("bare ASP.NET slim app (baseline)", settings.Baseline, null),
            new("conductor role=management (Orleans silo)", settings.Conductor, "management"),
            new("conductor role=tenant, no management", settings.Conductor, "tenant"),
            new("conductor role=tenant, connected", settings.Conductor, "tenant", Connected: true),
        };
        using var certificates = BenchCertificates.Issue(TenantClusterId);
        await ApplyPrerequisitesAsync(settings);
        await output.WriteLineAsync($"conductor: {settings.Conductor}");
        await output.WriteLineAsync($"baseline:  {settings.Baseline}");
        await output.WriteLineAsync($"image environment (Dockerfile.agent ENV): {string.Join(' ', settings.ImageEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
        await output.WriteLineAsync($"connected tenant: cluster {TenantClusterId} on {settings.TenantKubeconfig ?? "KUBECONFIG"}, dialling the management silo over mTLS");
        var loadBefore = LoadAverage();
        var ready = scenarios.ToDictionary(s => s.Name, _ => new List<double>());
        var rss = scenarios.ToDictionary(s => s.Name, _ => new List<double>());
        var cpu = scenarios.ToDictionary(s => s.Name, _ => new List<double>());
        var pss = scenarios.ToDictionary(s => s.Name, _ => new List<double>());
        var errors = scenarios.ToDictionary(s => s.Name, _ => new LogTally());
        foreach (var scenario in scenarios)
        {
            await MeasureAsync(scenario, settings, certificates, TimeSpan.Zero, new LogTally()); // untimed warm-up (disk cache)
        }
        for (var i = 0; i < settings.Runs; i++)
        {
            foreach (var scenario in scenarios)
            {
                var (readyMs, cpuMs, rssMb, pssMb) = await MeasureAsync(scenario, settings, certificates, settings.Idle, errors[scenario.Name]);
                ready[scenario.Name].Add(readyMs);
                cpu[scenario.Name].Add(cpuMs);
                rss[scenario.Name].Add(rssMb);
                pss[scenario.Name].Add(pssMb);
            }
        }
        await output.WriteLineAsync($"{settings.Runs} runs each, {Environment.ProcessorCount} cores, idle {settings.Idle.TotalSeconds:F0} s before reading VmRSS; load average {loadBefore} -> {LoadAverage()}");
        await output.WriteLineAsync($"{"scenario",-44} {"ready median ms",16} {"ready max ms",13} {"CPU to ready ms",16} {"RSS median MB",14} {"RSS max MB",11} {"Pss median MB",14}");
        foreach (var scenario in scenarios)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{scenario.Name,-44} {Median(ready[scenario.Name]),16:F0} {ready[scenario.Name].Max(),13:F0} {Median(cpu[scenario.Name]),16:F0} {Median(rss[scenario.Name]),14:F1} {rss[scenario.Name].Max(),11:F1} {Median(pss[scenario.Name]),14:F1}"));
        }
        foreach (var scenario in scenarios.Where(s => errors[s.Name].Errors > 0))
        {
            await output.WriteLineAsync($"NOT A HEALTHY IDLE: {scenario.Name} logged {errors[scenario.Name].Errors} error line(s) in the measured runs; first: {errors[scenario.Name].FirstError}");
        }
        return 0;
    }

    // Management's RunnerConfigs, and each tenant's on the cluster it runs on, as `compiler enable` writes them.
    private static async Task ApplyPrerequisitesAsync(AgentBenchmarkSettings settings)
    {
        var management = Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } path
            ? path
            : throw new InvalidOperationException("KUBECONFIG must name the management apiserver (scripts/test-servers.sh up; README)");
        var onManagement = new List<(string, string)>
        {
            (ClusterPrerequisites.AgentNamespace, "mgmt"),
            (ClusterPrerequisites.AgentNamespace, TenantClusterId), // the tenant without management runs on this apiserver
            ($"seam-tenant-{TenantClusterId}", TenantClusterId), // management's record of the connected tenant
        };
        // seam-system: management's revocation journal and signing namespace.
        await ClusterPrerequisites.ApplyAsync(management, onManagement, "seam-system");
        if (settings.TenantKubeconfig is { } tenant)
        {
            await ClusterPrerequisites.ApplyAsync(tenant, [(ClusterPrerequisites.AgentNamespace, TenantClusterId)]);
        }
    }

    // A connected tenant needs a management silo to dial: one is started (and not measured) for each such run.
    private static async Task<(double ReadyMs, double CpuMs, double RssMb, double PssMb)> MeasureAsync(
        Scenario scenario, AgentBenchmarkSettings settings, BenchCertificates certificates, TimeSpan idle, LogTally errors)
    {
        var federationPort = FreePort();
        using var management = scenario.Connected
            ? (await StartAsync(settings.Conductor, "management", AgentEnvironment(settings, "management", connected: false, certificates, federationPort), new LogTally())).Process
            : null;
        try
        {
            var environment = AgentEnvironment(settings, scenario.Role, scenario.Connected, certificates, federationPort);
            var (process, readyMs) = await StartAsync(scenario.Program, scenario.Role, environment, errors);
            using (process)
            {
                try
                {
                    var cpuMs = CpuMilliseconds(process.Id);
                    await Task.Delay(idle);
                    return (readyMs, cpuMs, ResidentMegabytes(process.Id), ProportionalMegabytes(process.Id));
                }
                finally
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            if (management is not null)
            {
                management.Kill(entireProcessTree: true);
                await management.WaitForExitAsync();
            }
        }
    }

    // The image's ENV, then the bench's ports and role; management listens for federation on federationPort, and a
    // connected tenant dials it there with its client certificate (on the tenant apiserver when there is one).
    private static Dictionary<string, string> AgentEnvironment(
        AgentBenchmarkSettings settings, string? role, bool connected, BenchCertificates certificates, int federationPort)
    {
        var environment = new Dictionary<string, string>(settings.ImageEnvironment, StringComparer.Ordinal)
        {
            ["INTERNAL_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["SILO_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["CLUSTER_REF"] = role == "management" ? "mgmt" : TenantClusterId,
            ["FEDERATION_CA_CERT_PATH"] = certificates.CaPath,
        };
        if (role is not null)
        {
            environment["CONDUCTOR_ROLE"] = role;
        }
        if (role == "management")
        {
            environment["FEDERATION_PORT"] = federationPort.ToString(CultureInfo.InvariantCulture);
            environment["FEDERATION_SERVER_CERT_PATH"] = certificates.ServerCertificatePath;
            environment["FEDERATION_SERVER_KEY_PATH"] = certificates.ServerKeyPath;
        }
        if (connected)
        {
            environment["MGMT_ENDPOINT"] = $"https://127.0.0.1:{federationPort}";
            environment["FEDERATION_CLIENT_CERT_PATH"] = certificates.ClientCertificatePath;
            environment["FEDERATION_CLIENT_KEY_PATH"] = certificates.ClientKeyPath;
            environment["WAL_PATH"] = Path.Combine(certificates.Directory, $"wal-{Guid.NewGuid():N}");
            if (settings.TenantKubeconfig is { } tenantKubeconfig)
            {
                environment["KUBECONFIG"] = tenantKubeconfig;
            }
        }
        return environment;
    }

    // Starts the program and waits for the first 200 on /readyz (INTERNAL_PORT); returns the process and the wall time to it.
    private static async Task<(Process Process, double ReadyMs)> StartAsync(BenchProgram program, string? role, Dictionary<string, string> environment, LogTally errors)
    {
        var start = program.StartInfo();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var port = environment["INTERNAL_PORT"];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        // Drain output so a full pipe never stalls the process being measured, counting its error lines.
        process.OutputDataReceived += (_, line) => errors.Observe(line.Data);
        process.ErrorDataReceived += (_, line) => errors.Observe(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{program} ({role ?? "baseline"}) exited with {process.ExitCode} before it was ready");
                }
                if (clock.Elapsed > ReadyTimeout)
                {
                    throw new TimeoutException($"{program} ({role ?? "baseline"}) was not ready within {ReadyTimeout}" + (role == "management"
                        ? "; management turns ready after its watches' first lists: does the apiserver in KUBECONFIG serve the launch CRDs (README)?"
                        : ""));
                }
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return (process, clock.Elapsed.TotalMilliseconds);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                    // A probe that outlived its timeout on a loaded machine: probe again until ReadyTimeout.
                }
                await Task.Delay(20);
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            throw;
        }
    }

    // VmRSS: the resident pages summed over the process's mappings, what `ps`/`top` show as RES.
    private static double ResidentMegabytes(int pid) => KilobytesField($"/proc/{pid}/status", "VmRSS:") / 1024.0;

    // Pss: the same pages, each divided by how many mappings hold it. The runtime maps every ReadyToRun image twice
    // (whole, and by sections), so VmRSS counts those file pages twice; for a process sharing nothing, Pss is its
    // physical memory, each page once, as a cgroup memory limit charges it.
    private static double ProportionalMegabytes(int pid) => KilobytesField($"/proc/{pid}/smaps_rollup", "Pss:") / 1024.0;

    private static long KilobytesField(string path, string field)
    {
        var line = File.ReadLines(path).First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    // CPU time (user + system) the process had used when it first answered ready: the start-up work, which, unlike
    // wall time to ready, does not stretch when other processes compete for the cores. /proc/<pid>/stat fields 14
    // and 15, in clock ticks (100 per second on Linux); the command name (field 2) may hold spaces, so count from ')'.
    private static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 10.0;
    }

    // The machine is shared: the 1-minute load average beside each figure says how loaded it was (RSS does not move
    // with load; ready times do).
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
