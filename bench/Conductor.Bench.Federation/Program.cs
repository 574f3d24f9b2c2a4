using System.Diagnostics;
using System.Globalization;
using Conductor.Bench.Federation;
using Conductor.Federation;
using k8s;
using k8s.Models;

// Child mode: the simulated fleet, in its own process so management's memory is measured alone.
if (args is ["tenants", var endpoint, var certificates, var ca, var prefix, var count, var beatMs])
{
    return await SimulatedTenants.RunAsync(endpoint, certificates, ca, prefix, int.Parse(count, CultureInfo.InvariantCulture),
        TimeSpan.FromMilliseconds(int.Parse(beatMs, CultureInfo.InvariantCulture)));
}

const int EventsPerBatch = 500;

// Tenants connected before the measured fleet, so that the one-off costs of serving any tenant at all (code compiled at
// the first connects, directory and cache structures) are paid before the "each additional tenant" reading. Sessions
// 6-8 saw 5-10 MB of such one-off growth (JIT'd code) in the 1000-tenant figure.
const int WarmFleet = 100;

// Child mode: the baseline for memory per tenant. The same simulated fleet connected to the bare echo server (same
// Kestrel, HTTP/2, TLS 1.3 and mTLS; every envelope echoed): what any .NET gRPC server pays per mTLS connection
// before a grain, a session or a line of ours.
if (args is ["echo-fleet", var echoFleetSize])
{
    var echoCount = int.Parse(echoFleetSize, CultureInfo.InvariantCulture);
    var echoDirectory = Directory.CreateTempSubdirectory("conductor-bench-echo-").FullName;
    try
    {
        using var echoPki = new BenchPki(echoDirectory);
        var files = echoPki.WriteMany("fleet", echoCount);
        var warmFiles = echoPki.WriteMany("warm", WarmFleet);
        await EchoBaseline.EventsPerSecondAsync(echoPki, batches: 100, EventsPerBatch); // warm-up like the main process: JIT and TLS
        var (echo, echoPort) = await EchoBaseline.StartServerAsync(echoPki);
        await using (echo)
        {
            var echoBefore = await MemoryReading.TakeAsync();
            using var warm = await StartFleetAsync(echoPort, warmFiles, "warm", WarmFleet, TimeSpan.FromSeconds(1), "echo warm");
            var echoWarm = await MemoryReading.TakeAsync();
            using var tenants = await StartFleetAsync(echoPort, files, "fleet", echoCount, TimeSpan.FromSeconds(1), "echo");
            var echoAfter = await MemoryReading.TakeAsync();
            ReportFleetMemory("baseline   bare gRPC echo server per connected tenant (same fleet, same mTLS, fresh process)", echoBefore, echoWarm, echoAfter, echoCount);
            await warm.StandardInput.WriteLineAsync("EXIT");
            await tenants.StandardInput.WriteLineAsync("EXIT");
            await tenants.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await warm.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await echo.StopAsync();
        }
    }
    finally
    {
        Directory.Delete(echoDirectory, recursive: true);
    }

    return 0;
}

var fleet = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var auditRuns = Option("--audit-runs", 3);
var auditEvents = Option("--audit-events", 200_000);
var auditOnly = args.Contains("--audit-only");
var noEcho = args.Contains("--no-echo"); // for profiling the audit path alone; prints no ratio
var producers = Option("--producers", 64);
var warmUpRuns = Option("--warm-up-runs", 10); // untimed, so tiered JIT has settled the echo and the audit paths alike
var burstOnly = args.Contains("--burst-only"); // skips the bounded shape (and its like-for-like echo)
var gcdumps = OptionText("--gcdump"); // a directory for heap snapshots before and after the fleet
const int AuditWarmUpEvents = 20_000;
const int EchoBatches = 2000; // 1 M events per echo run, warm-up and measured alike
var heartBeat = TimeSpan.FromSeconds(1);
var directory = Directory.CreateTempSubdirectory("conductor-bench-").FullName;
using var pki = new BenchPki(directory);
var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG")
    ?? throw new InvalidOperationException("KUBECONFIG is not set; the audit sink stores in the real kube-apiserver (scripts/test-servers.sh up)");
using var kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
var ns = $"conductor-bench-{Guid.NewGuid():N}"[..30];
await kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
try
{
    // The GC mode changes both figures of the ratio; they always run in the same process, so in the same mode.
    Console.WriteLine($"Federation benchmark: loopback, {Environment.ProcessorCount} cores, fleet {fleet}, audit batches of {EventsPerBatch} events, " +
        $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC (the conductor agent ships server GC: the Web SDK default), load average {LoadAverage()}");
    for (var warmUp = 0; warmUp < warmUpRuns; warmUp++)
    {
        await EchoBaseline.EventsPerSecondAsync(pki, EchoBatches, EventsPerBatch); // warm-up: JIT and TLS, not measured
        if (!burstOnly)
        {
            await EchoBaseline.RoundTripsPerSecondAsync(pki, AuditWarmUpEvents, producers);
        }
    }

    if (args.Contains("--stages"))
    {
        await AuditStages.PrintAsync(directory, 20_000, EventsPerBatch); // warm-up
        await AuditStages.PrintAsync(directory, auditEvents, EventsPerBatch);
    }

    var (writes, ceiling, chunkBytes) = await ConfigMapBaseline.MeasureAsync(kube, ns, writes: 40);
    Console.WriteLine($"baseline   apiserver ConfigMap create of one full audit chunk ({chunkBytes:N0} bytes gzip): {writes:F1} writes/s " +
        $"= {ceiling:N0} events/s ceiling for one cluster's sink");

    var (app, port) = await BenchManagement.StartAsync(pki, kube, ns, heartBeat);
    await using (app)
    {
        await using (var audit = await AuditThroughput.StartAsync(pki, kube, ns, port, EventsPerBatch))
        {
            // Warm-up: JIT (a method reaches its optimised tier only after 30 calls and a pause, and a burst calls some
            // methods once), TLS, grain activation, first chunks; not measured. Bursts of the measured size: only a burst
            // larger than the WAL's live tail reads records back from the file and fills whole chunks, and with smaller
            // warm-up bursts those paths were still unoptimised for the first ~7 measured runs (3-4 us per event, then 1.6-1.9).
            for (var warmUp = 0; warmUp < warmUpRuns; warmUp++)
            {
                await audit.EventsPerSecondAsync(auditEvents);
                if (!burstOnly)
                {
                    await audit.EventsPerSecondAsync(AuditWarmUpEvents, producers);
                }
            }

            using var promotions = new GcPromotions();
            var ratios = new List<double>();
            var concurrentRatios = new List<double>();
            var likeRatios = new List<double>();
            for (var run = 1; run <= auditRuns; run++)
            {
                // Interleaved, so every figure of a run sees the same machine load: each audit shape right after its echo.
                var echoCpu = CpuTime();
                var echoGc = GcWork.Now();
                var baseline = noEcho ? double.NaN : await EchoBaseline.EventsPerSecondAsync(pki, EchoBatches, EventsPerBatch);
                echoCpu = CpuTime() - echoCpu;
                echoGc = GcWork.Now() - echoGc;
                var burst = default(BurstRun);
                var (endToEnd, auditCpu, auditGc, auditPromoted) = await Measure(async () =>
                {
                    burst = await audit.EventsPerSecondAsync(auditEvents);
                    return burst.EventsPerSecond;
                });
                ratios.Add(endToEnd / baseline);
                Console.WriteLine($"run {run}/{auditRuns}    echo baseline (raw Grpc.AspNetCore bidi, mTLS, same batches) {baseline:N0} events/s, " +
                    $"{echoCpu.TotalMicroseconds / ((double)EchoBatches * EventsPerBatch):F1} us CPU/event; " +
                    $"audit end to end ({auditEvents:N0} events: WAL fsync -> gateway -> sink grain -> ConfigMaps -> ack persisted) {endToEnd:N0} events/s, " +
                    $"{auditCpu.TotalMicroseconds / auditEvents:F1} us CPU/event = {100 * endToEnd / baseline:F1}% (target >= 50%)");
                Console.WriteLine($"           burst: {burst.Wal.Describe(auditEvents)}");
                if (burstOnly)
                {
                    Console.WriteLine($"           GC during echo {echoGc}; during audit burst {auditGc}, {auditPromoted}; load average {LoadAverage()}");
                    continue;
                }

                var (roundTrips, roundTripCpu, roundTripGc, _) = noEcho
                    ? (double.NaN, TimeSpan.Zero, default, default)
                    : await Measure(() => EchoBaseline.RoundTripsPerSecondAsync(pki, auditEvents, producers));
                var bounded = default(BoundedRun);
                var (concurrent, concurrentCpu, concurrentGc, concurrentPromoted) = await Measure(async () =>
                {
                    bounded = await audit.EventsPerSecondAsync(auditEvents, producers);
                    return bounded.EventsPerSecond;
                });
                concurrentRatios.Add(concurrent / baseline);
                likeRatios.Add(concurrent / roundTrips);
                // CPU per event (this process only: the apiserver's share is not in it) is steadier than the rates on a loaded machine.
                Console.WriteLine($"           echo, {producers} callers on one stream each awaiting a one-event round trip before the next: {roundTrips:N0} events/s, " +
                    $"{roundTripCpu.TotalMicroseconds / auditEvents:F1} us CPU/event");
                Console.WriteLine($"           audit, {producers} producers each awaiting its own append before the next: {concurrent:N0} events/s, " +
                    $"{concurrentCpu.TotalMicroseconds / auditEvents:F1} us CPU/event = {100 * concurrent / baseline:F1}% of the same echo, " +
                    $"{100 * concurrent / roundTrips:F1}% of the {producers}-caller echo (like for like, target >= 50%)");
                // Where the bounded shape's time goes: each producer waits one group commit per event.
                Console.WriteLine($"           {producers} producers: {bounded.Wal.Describe(auditEvents)}, " +
                    $"{1e6 / concurrent * auditEvents / Math.Max(1, bounded.Wal.Commits):F0} us between commits, last ack {bounded.AckTail.TotalMilliseconds:F0} ms after the last append");
                Console.WriteLine($"           GC during echo {echoGc}; during audit burst {auditGc}, {auditPromoted}; during {producers}-caller echo {roundTripGc}; " +
                    $"during {producers} producers {concurrentGc}, {concurrentPromoted}; load average {LoadAverage()}");
            }

            if (auditRuns > 0)
            {
                var burstRatios = $"audit      ratio over {auditRuns} runs: min {100 * ratios.Min():F1}%, median {100 * ratios.Order().ElementAt(ratios.Count / 2):F1}%, max {100 * ratios.Max():F1}% (burst)";
                Console.WriteLine(burstOnly ? burstRatios : $"{burstRatios}; " +
                    $"{producers} producers: min {100 * concurrentRatios.Min():F1}%, median {100 * concurrentRatios.Order().ElementAt(concurrentRatios.Count / 2):F1}%, max {100 * concurrentRatios.Max():F1}%; " +
                    $"{producers} producers / {producers}-caller echo: min {100 * likeRatios.Min():F1}%, median {100 * likeRatios.Order().ElementAt(likeRatios.Count / 2):F1}%, max {100 * likeRatios.Max():F1}%");
            }

            async Task<(double Rate, TimeSpan Cpu, GcWork Gc, GcPromotions.Summary Promoted)> Measure(Func<Task<double>> shape)
            {
                var cpu = CpuTime();
                var gc = GcWork.Now();
                var rate = await shape();
                cpu = CpuTime() - cpu;
                var after = GcWork.Now();
                return (rate, cpu, after - gc, await promotions.Between(gc.Gen0, after.Gen0));
            }
        }

        if (auditOnly)
        {
            return 0;
        }

        var fleetFiles = pki.WriteMany("fleet", fleet);
        var warmFiles = pki.WriteMany("warm", WarmFleet);

        var before = await MemoryReading.TakeAsync();
        await GcDumpAsync(gcdumps, "before-fleet");
        using var warm = await StartFleetAsync(port, warmFiles, "warm", WarmFleet, heartBeat, "warm");
        var warmed = await MemoryReading.TakeAsync();
        using var child = await StartFleetAsync(port, fleetFiles, "fleet", fleet, heartBeat, "fleet");
        var after = await MemoryReading.TakeAsync();
        await GcDumpAsync(gcdumps, "fleet");
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var acked = 0;
        for (var i = 0; i < fleet; i++)
        {
            acked += (await grains.GetGrain<ITenantSessionGrain>($"fleet{i}").GetStatusAsync()) is { Connected: true, LastAck: not null } ? 1 : 0;
        }

        Console.WriteLine($"fleet      {acked}/{fleet} sessions connected with heartbeats acknowledged");
        // Target <= 100 KB of working set per tenant, held; the forced figure shows how much slack server GC keeps on top.
        ReportFleetMemory("memory     management per connected tenant (target <= 100 KB working set)", before, warmed, after, fleet);

        await FanOutAsync("push", child, fleet, i => grains.GetGrain<ITenantSessionGrain>($"fleet{i}").PushRevocationAsync(Notice(i, "push")));
        await FanOutAsync("revoke", child, fleet, i => grains.GetGrain<IRevocationGrain>($"fleet{i}").RevokeAsync(Notice(i, "revoke")));
        await child.StandardInput.WriteLineAsync("EXIT");
        await warm.StandardInput.WriteLineAsync("EXIT");
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await warm.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        // The baseline for memory per tenant, in a fresh process so neither figure reuses the other's freed memory.
        using var echoFleet = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(BenchPki).Assembly.Location, "echo-fleet", fleet.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
        })!;
        while (await echoFleet.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(8)) is { } line)
        {
            Console.WriteLine(line);
        }

        await echoFleet.WaitForExitAsync();
    }
}
finally
{
    await kube.CoreV1.DeleteNamespaceAsync(ns);
    Directory.Delete(directory, recursive: true);
}

return 0;

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

// The simulated fleet in its own process, connected to the given port; returns once every tenant heard from the server
// and a few heartbeats have passed.
static async Task<Process> StartFleetAsync(int serverPort, Conductor.TestSupport.Certificates.FederationPkiFiles files, string prefix, int size, TimeSpan heartBeat, string label)
{
    var tenants = Process.Start(new ProcessStartInfo("dotnet")
    {
        ArgumentList = { typeof(BenchPki).Assembly.Location, "tenants", $"https://localhost:{serverPort}", Path.GetDirectoryName(files.ClientCertificatePath)!,
            files.CaCertificatePath, prefix, size.ToString(CultureInfo.InvariantCulture), ((int)heartBeat.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) },
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
    })!;
    var clock = Stopwatch.StartNew();
    var ready = await tenants.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(6));
    Console.WriteLine($"{label,-10} {ready} after {clock.Elapsed.TotalSeconds:F1} s");
    await Task.Delay(heartBeat * 5); // let every session run its heartbeat timer a few times
    return tenants;
}

// The same three lines for management and the echo: all tenants from a cold process, the absolute reads, and each of the
// measured fleet connected after the warm-up tenants.
static void ReportFleetMemory(string subject, MemoryReading cold, MemoryReading warmed, MemoryReading after, int fleetSize)
{
    Console.WriteLine($"{subject}, all {WarmFleet + fleetSize} from cold: {after.PerTenant(cold, WarmFleet + fleetSize)}; load average {LoadAverage()}");
    Console.WriteLine($"           {after.Absolute(cold)}");
    Console.WriteLine($"           each of the {fleetSize} after the first {WarmFleet}: {after.PerTenant(warmed, fleetSize)}");
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static TimeSpan CpuTime()
{
    using var self = Process.GetCurrentProcess();
    return self.TotalProcessorTime;
}

static RevocationNotice Notice(int i, string kind) => new($"fleet{i}", RevocationTarget.PackInstalled, "seam-tenant-fleet", $"{kind}-{i}",
    "benchmark", DateTimeOffset.UtcNow, $"bench/{kind}/{i}");

// A heap snapshot of this process by type (`dotnet-gcdump report FILE`), for attributing the per-tenant memory.
static async Task GcDumpAsync(string? directory, string name)
{
    if (directory is null)
    {
        return;
    }

    Directory.CreateDirectory(directory);
    var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
    var output = Path.Combine(directory, $"{name}.gcdump");
    using var dump = Process.Start(new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-gcdump")
    {
        ArgumentList = { "collect", "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "-o", output },
        RedirectStandardOutput = true,
    }) ?? throw new InvalidOperationException("--gcdump: could not start dotnet-gcdump (dotnet tool install -g dotnet-gcdump)");
    await dump.StandardOutput.ReadToEndAsync();
    await dump.WaitForExitAsync();
    Console.WriteLine($"gcdump     {output} (exit {dump.ExitCode})");
}

static async Task FanOutAsync(string label, Process child, int fleet, Func<int, Task> issue)
{
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, fleet).Select(issue));
    var issued = clock.Elapsed;
    await Task.Delay(TimeSpan.FromSeconds(2)); // pushes still in flight after the last call returned
    await child.StandardInput.WriteLineAsync("REPORT");
    var latencies = new List<double>();
    while (await child.StandardOutput.ReadLineAsync() is { } line && line != "END")
    {
        latencies.Add(double.Parse(line[4..], CultureInfo.InvariantCulture));
    }

    var mine = latencies.Skip(label == "push" ? 0 : fleet).Order().ToList();
    if (mine.Count == 0)
    {
        Console.WriteLine($"revocation {label}: no push arrived");
        return;
    }

    double Percentile(double p) => mine[Math.Min(mine.Count - 1, (int)Math.Ceiling(p * mine.Count) - 1)];
    Console.WriteLine($"revocation {label,-6} fan-out to {mine.Count}/{fleet} tenants (calls issued in {issued.TotalMilliseconds:F0} ms): " +
        $"p50 {Percentile(0.50):F0} ms, p99 {Percentile(0.99):F0} ms, max {mine[^1]:F0} ms (target p99 <= 1000 ms)");
}
