using System.Diagnostics;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Startup;
using Conductor.Silo.Tenant.Federation;
using k8s;
using Microsoft.Extensions.Options;

namespace Conductor.Bench.Federation;

/// <summary>
/// Audit events per second end to end: the tenant records into its WAL (fsync), the federation client sends
/// batches, the gateway hands them to the audit sink grain, which writes Kubernetes ConfigMaps and the guarded
/// high-water mark, and the ack comes back and is persisted in the WAL. Timed from the first record to the ack
/// of the last.
/// </summary>
public static class AuditThroughput
{
    public static async Task<double> EventsPerSecondAsync(BenchPki pki, IKubernetes kube, string @namespace, int port, int events, int batch)
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
        using var host = builder.Build();
        await host.StartAsync();
        var channel = host.Services.GetRequiredService<FederationChannelState>();
        while (channel.Live is null)
        {
            await channel.NextChangeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var log = host.Services.GetRequiredService<AuditEventLog>();
        var wal = host.Services.GetRequiredService<AuditWal>();
        var clock = Stopwatch.StartNew();
        var pending = new List<Task<ulong>>(events);
        for (var i = 1; i <= events; i++)
        {
            pending.Add(log.RecordAsync(AuditBatches.Event(0)));
        }

        var last = (await Task.WhenAll(pending)).Max();
        using var cap = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (wal.AckedSequence < last)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), cap.Token);
        }

        clock.Stop();
        await host.StopAsync();
        return events / clock.Elapsed.TotalSeconds;
    }
}
