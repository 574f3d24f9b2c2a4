using System.Diagnostics;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Startup;
using Conductor.Silo.Tenant.Federation;
using k8s;

namespace Conductor.Bench.Federation;

/// <summary>
/// Audit events per second end to end: the tenant records into its WAL (fsync), the federation client sends
/// batches, the gateway hands them to the audit sink grain, which writes Kubernetes ConfigMaps and the guarded
/// high-water mark, and the ack comes back and is persisted in the WAL. Each run is timed from the first record to
/// the persisted ack of the last. One tenant host serves every run, so the warm-up (JIT, TLS, grain activation,
/// first ConfigMap writes) happens once, untimed, the way the echo baseline warms up.
/// </summary>
public sealed class AuditThroughput : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly AuditEventLog _log;
    private readonly AuditWal _wal;

    private AuditThroughput(IHost host)
    {
        _host = host;
        _log = host.Services.GetRequiredService<AuditEventLog>();
        _wal = host.Services.GetRequiredService<AuditWal>();
    }

    public static async Task<AuditThroughput> StartAsync(BenchPki pki, IKubernetes kube, string @namespace, int port, int batch)
    {
        var files = pki.Write("audit-bench");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FederationClientOptions.EndpointVariable] = $"https://localhost:{port}",
            [FederationClientOptions.ClientCertificatePathVariable] = files.ClientCertificatePath,
            [FederationClientOptions.ClientKeyPathVariable] = files.ClientKeyPath,
            [FederationClientOptions.CaCertificatePathVariable] = files.CaCertificatePath,
            [AuditWalOptions.PathVariable] = Path.Combine(pki.Directory, "audit-wal"),
            [AgentOptions.PodNamespaceEnvVar] = @namespace,
            [AgentOptions.ClusterRefEnvVar] = "audit-bench",
        });
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Error);
        builder.Services.AddSingleton(kube);
        builder.Services.AddFederationClient();
        builder.Services.Configure<FederationClientOptions>(o => o.AuditBatchMaxEvents = batch);
        var host = builder.Build();
        await host.StartAsync();
        var channel = host.Services.GetRequiredService<FederationChannelState>();
        while (channel.Live is null)
        {
            await channel.NextChangeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        return new AuditThroughput(host);
    }

    /// <summary>
    /// Records <paramref name="events"/> at once and returns events per second until the last one's ack is persisted,
    /// with what the WAL did meanwhile.
    /// </summary>
    public async Task<BurstRun> EventsPerSecondAsync(int events)
    {
        var counters = WalCounters.Of(_wal);
        var clock = Stopwatch.StartNew();
        var pending = new ValueTask<ulong>[events];
        for (var i = 0; i < events; i++)
        {
#pragma warning disable CA2012 // held to be awaited exactly once below, as a burst of callers would
            pending[i] = _log.RecordAsync(AuditBatches.Event(0));
#pragma warning restore CA2012
        }

        ulong last = 0;
        foreach (var append in pending)
        {
            last = Math.Max(last, await append);
        }

        await AckedAsync(last);
        clock.Stop();
        return new BurstRun(events / clock.Elapsed.TotalSeconds, WalCounters.Of(_wal) - counters);
    }

    /// <summary>
    /// The bounded shape beside the burst: <paramref name="producers"/> callers record <paramref name="events"/> in
    /// all, each awaiting its own append before the next, as components recording as they work would. Returns
    /// events per second until the last one's ack is persisted, with where the time went: how long after the last
    /// append the last ack was persisted, and what the WAL did meanwhile.
    /// </summary>
    public async Task<BoundedRun> EventsPerSecondAsync(int events, int producers)
    {
        var counters = WalCounters.Of(_wal);
        var clock = Stopwatch.StartNew();
        var lasts = await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            ulong last = 0;
            for (var i = p; i < events; i += producers)
            {
                last = await _log.RecordAsync(AuditBatches.Event(0));
            }

            return last;
        })));
        var appended = clock.Elapsed;
        await AckedAsync(lasts.Max());
        clock.Stop();
        return new BoundedRun(events / clock.Elapsed.TotalSeconds, clock.Elapsed - appended, WalCounters.Of(_wal) - counters);
    }

    private async Task AckedAsync(ulong last)
    {
        using var cap = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (_wal.AckedSequence < last)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), cap.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>One burst: its rate and what the WAL did.</summary>
public readonly record struct BurstRun(double EventsPerSecond, WalCounters Wal);

/// <summary>One run of the bounded shape: its rate, the ack tail after the last append and what the WAL did.</summary>
public readonly record struct BoundedRun(double EventsPerSecond, TimeSpan AckTail, WalCounters Wal);
