using System.Collections.Concurrent;
using System.Diagnostics;
using Conductor.Bench.Sequencer;
using Conductor.Grains.Sequencing;
using Conductor.Resources;
using Conductor.Resources.Seam;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Sequencing;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Network;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// Step sequencer benchmark on the real kube-apiserver named by KUBECONFIG, one silo in this process.
//   dotnet run -c Release --project bench/Conductor.Bench.Sequencer [-- <latency runs> <concurrent RunnerConfigs>]
var latencyRuns = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100;
var concurrent = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
const int StepsPerConfig = 3;
var cap = TimeSpan.FromMinutes(10);

var client = await KubeFixture.ConnectAsync(KubeFixture.KubeconfigVariable, CancellationToken.None);
await CrdInstaller.EnsureInstalledAsync(client, CancellationToken.None);
var ns = $"conductor-bench-{Guid.NewGuid():N}"[..32];
await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
var api = KubeApi.Of<RunnerConfig>();
Console.WriteLine($"namespace {ns}; server {client.BaseUri}; {Environment.ProcessorCount} cores");

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [SequencerOptions.NamespaceEnvVar] = ns });
builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next()).AddMemoryGrainStorageAsDefault());
builder.Services.AddStepSequencing(builder.Configuration);
using var host = builder.Build();
await host.StartAsync();

try
{
    var baseline = await BaselineAsync();
    Console.WriteLine($"baseline  status PUT round trip (GET+PUT /status):   {baseline}");
    var (latency, _, _, _) = await RunAsync("lat", latencyRuns, steps: 1, parallel: 1);
    Console.WriteLine($"latency   Job terminal -> StepResult, 1 at a time:   {latency}");
    var (loaded, elapsed, steps, watchFloor) = await RunAsync("load", concurrent, StepsPerConfig, parallel: concurrent);
    Console.WriteLine($"load      Job terminal -> StepResult, {concurrent} concurrent: {loaded}");
    Console.WriteLine($"load      Job terminal -> seen on a Job watch (floor):    {watchFloor}");
    Console.WriteLine(FormattableString.Invariant(
        $"load      {concurrent} RunnerConfigs x {StepsPerConfig} steps = {steps} steps in {elapsed.TotalSeconds:F1} s: {steps / elapsed.TotalSeconds:F1} steps/s"));
}
finally
{
    await host.StopAsync();
    await client.CoreV1.DeleteNamespaceAsync(ns);
}
return 0;

// Raw guarded status writes of one RunnerConfig: the floor any StepResult write stands on.
async Task<Percentiles> BaselineAsync()
{
    var config = await api.GenericClient(client).CreateNamespacedAsync(
        new RunnerConfig { Metadata = new V1ObjectMeta { Name = "baseline" }, Spec = new RunnerConfigSpec { ClusterRef = "bench", AgentImage = "bench:1" } }, ns);
    var samples = new List<double>();
    for (var i = 0; i < 100; i++)
    {
        var start = Stopwatch.GetTimestamp();
        var current = await client.CustomObjects.GetNamespacedCustomObjectAsync<RunnerConfig>(SeamApi.Group, SeamApi.Version, ns, RunnerConfig.Plural, config.Metadata.Name);
        current.Status = new RunnerConfigStatus { AgentVersion = $"v{i}" };
        await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(current, SeamApi.Group, SeamApi.Version, ns, RunnerConfig.Plural, config.Metadata.Name);
        samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
    return Percentiles.Of(samples);
}

// Creates `count` RunnerConfigs of `steps` chained steps (at most `parallel` running at once), plays every pod, and
// measures from each Job's terminal status write to the StepResult seen on a watch of the RunnerConfigs.
async Task<(Percentiles Latency, TimeSpan Elapsed, int Steps, Percentiles WatchFloor)> RunAsync(string prefix, int count, int steps, int parallel)
{
    var latencies = new ConcurrentBag<double>();
    var harvested = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
    var completed = new ConcurrentDictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
    await using var player = new PodPlayer(client, ns, prefix, parallelism: 32);
    await using var observer = new ResourceInformer<RunnerConfig>(new CustomResourceSource<RunnerConfig>(client, ns), TimeProvider.System, NullLogger.Instance);
    using var subscription = observer.Subscribe((change, _) =>
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var result in change.Object.Status?.StepResults ?? [])
        {
            if (result.Phase is StepPhase.Succeeded or StepPhase.Failed && result.OutputRef?.Split('/')[^1] is { } job
                && harvested.TryAdd(job, true) && player.TerminalAt.TryGetValue(job, out var terminalAt))
            {
                latencies.Add(Stopwatch.GetElapsedTime(terminalAt, now).TotalMilliseconds);
            }
        }
        if (change.Object.Status?.Phase is RunnerConfigPhase.Completed or RunnerConfigPhase.Failed)
        {
            completed.GetOrAdd(change.Object.Metadata.Name, _ => new TaskCompletionSource()).TrySetResult();
        }
        return Task.CompletedTask;
    });
    await player.StartAsync(CancellationToken.None);
    await observer.StartAsync(CancellationToken.None);
    await observer.ReadyAsync(CancellationToken.None);

    var started = Stopwatch.GetTimestamp();
    using var gate = new SemaphoreSlim(parallel);
    var runs = Enumerable.Range(0, count).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            var name = $"{prefix}-{i}";
            var done = completed.GetOrAdd(name, _ => new TaskCompletionSource());
            var chain = Enumerable.Range(0, steps).Select(s => new RunnerStep
            {
                Name = $"s{s}",
                Capability = "etcd-defrag",
                DependsOn = s == 0 ? null : [$"s{s - 1}"],
            }).ToList();
            await api.GenericClient(client).CreateNamespacedAsync(new RunnerConfig
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new RunnerConfigSpec { ClusterRef = "bench", AgentImage = "bench:1", Steps = chain },
            }, ns);
            await done.Task.WaitAsync(cap);
        }
        finally
        {
            gate.Release();
        }
    });
    await Task.WhenAll(runs);
    var elapsed = Stopwatch.GetElapsedTime(started);
    var floor = player.TerminalSeenAt.Where(seen => player.TerminalAt.ContainsKey(seen.Key))
        .Select(seen => Stopwatch.GetElapsedTime(player.TerminalAt[seen.Key], seen.Value).TotalMilliseconds);
    return (Percentiles.Of(latencies), elapsed, count * steps, Percentiles.Of(floor));
}
