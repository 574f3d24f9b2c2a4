using System.Collections.Concurrent;
using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Startup;
using Conductor.Silo.Tenant.Federation;
using Conductor.TestSupport.Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Bench.Failover;

/// <summary>
/// A tenant agent's federation side as production composes it (<c>AddFederationClient</c> with its default reconnect
/// backoff and heartbeats, a real audit WAL on disk), in this process, dialling the forwarder. It records audit
/// events at a steady rate and keeps every sequence the WAL reported durable, to check what management stored.
/// </summary>
public sealed class BenchTenant : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly CancellationTokenSource _stopRecording = new();
    private Task _recording = Task.CompletedTask;

    private BenchTenant(string clusterId, IHost host) => (ClusterId, _host) = (clusterId, host);

    public string ClusterId { get; }

    public AuditWal Wal => _host.Services.GetRequiredService<AuditWal>();

    public FederationChannelState Channel => _host.Services.GetRequiredService<FederationChannelState>();

    /// <summary>Every sequence the WAL reported durable, with the name of the event recorded under it.</summary>
    public ConcurrentDictionary<ulong, string> Durable { get; } = new();

    public static async Task<BenchTenant> StartAsync(BenchCluster cluster, string clusterId, string endpoint, TimeSpan? reconnectInitialDelay)
    {
        var directory = Path.Combine(cluster.Directory, "tenant-" + clusterId);
        System.IO.Directory.CreateDirectory(directory);
        var (certificatePath, keyPath) = (Path.Combine(directory, "client.crt"), Path.Combine(directory, "client.key"));
        using (var certificate = cluster.Pki.IssueClientCertificate(clusterId))
        {
            FederationPki.WritePem(certificate, certificatePath, keyPath);
        }

        await cluster.CreateRunnerConfigAsync(clusterId);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FederationClientOptions.EndpointVariable] = endpoint,
            [FederationClientOptions.ClientCertificatePathVariable] = certificatePath,
            [FederationClientOptions.ClientKeyPathVariable] = keyPath,
            [FederationClientOptions.CaCertificatePathVariable] = cluster.Server.CaCertificatePath,
            [AuditWalOptions.PathVariable] = Path.Combine(directory, "wal"),
            [AgentOptions.PodNamespaceEnvVar] = cluster.TenantNamespace,
            [AgentOptions.ClusterRefEnvVar] = clusterId,
        });
        // Warnings (streams ended, backing off) to stderr, so a figure can be explained; stdout carries the figures.
        builder.Logging.ClearProviders().AddSimpleConsole(o => (o.TimestampFormat, o.SingleLine) = ("HH:mm:ss.fff ", true)).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Conductor.Silo.Tenant.Federation.FederationClient", LogLevel.Debug);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(cluster.Tenant);
        builder.Services.AddFederationClient();
        if (reconnectInitialDelay is { } initial)
        {
            // A comparison against another first delay; the production default otherwise.
            builder.Services.Configure<FederationClientOptions>(o => o.ReconnectInitialDelay = initial);
        }

        var host = builder.Build();
        await host.StartAsync();
        return new BenchTenant(clusterId, host);
    }

    /// <summary>Records <paramref name="perSecond"/> events a second until <see cref="StopRecordingAsync"/>.</summary>
    public void StartRecording(int perSecond, TimeProvider time)
    {
        var log = _host.Services.GetRequiredService<AuditEventLog>();
        _recording = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond), time);
            for (var i = 1; await Tick(timer); i++)
            {
                var name = $"item-{i}";
                Durable[await log.RecordAsync(Event(name))] = name;
            }
        });
    }

    public async Task StopRecordingAsync()
    {
        await _stopRecording.CancelAsync();
        await _recording;
    }

    public async ValueTask DisposeAsync()
    {
        await StopRecordingAsync();
        await _host.StopAsync(TimeSpan.FromSeconds(5));
        _host.Dispose();
        _stopRecording.Dispose();
    }

    private async Task<bool> Tick(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(_stopRecording.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static AuditEvent Event(string name) => new()
    {
        Actor = "system:serviceaccount:ont-system:conductor",
        Verb = "update",
        Resource = "configmaps",
        Namespace = "default",
        Name = name,
        Outcome = "allowed",
        MatchedPolicy = "cluster-policy",
    };
}
