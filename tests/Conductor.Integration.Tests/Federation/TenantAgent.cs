using System.Collections.Concurrent;
using Conductor.Federation.Protocol;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Leadership;
using Conductor.Silo.Startup;
using Conductor.Silo.Tenant.Federation;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Logging;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Integration.Tests.Federation;

/// <summary>
/// A tenant agent's federation side as production composes it (<c>AddFederationClient</c>), against the real tenant
/// apiserver, with its WAL in a directory that outlives the host so a restart reuses it. With a replica name it is one
/// replica of a multi-replica agent: it runs the real Lease election and names itself to management (POD_NAME).
/// </summary>
public sealed class TenantAgent : IAsyncDisposable
{
    private readonly FederationFixture _fixture;
    private readonly ManagementAgent _management;
    private readonly string _certificatePath;
    private readonly string _keyPath;
    private IHost? _host;

    public TenantAgent(FederationFixture fixture, ManagementAgent management, string clusterId, RecordingLoggerProvider logs, string replica = "")
    {
        (_fixture, _management, ClusterId, Logs, Replica) = (fixture, management, clusterId, logs, replica);
        var directory = Path.Combine(fixture.Directory, "tenant-" + clusterId + (replica.Length > 0 ? "-" + replica : ""));
        Directory.CreateDirectory(directory);
        WalPath = Path.Combine(directory, "wal");
        _certificatePath = Path.Combine(directory, "client.crt");
        _keyPath = Path.Combine(directory, "client.key");
        using var certificate = fixture.Pki.IssueClientCertificate(clusterId);
        FederationPki.WritePem(certificate, _certificatePath, _keyPath);
    }

    public string ClusterId { get; }

    /// <summary>The replica's pod name; empty for a single-replica agent without a Lease election.</summary>
    public string Replica { get; }

    public ILeadership Leadership => Services.GetRequiredService<ILeadership>();

    /// <summary>This tenant's agent namespace on the tenant apiserver, standing in for a cluster of its own.</summary>
    public string Namespace { get; set; } = "";

    public string WalPath { get; }

    public RecordingLoggerProvider Logs { get; }

    /// <summary>Most events per envelope; small values make a batch boundary fall mid-stream.</summary>
    public int BatchMaxEvents { get; set; } = 500;

    /// <summary>Records the WAL keeps in memory for the live sender; small values make it fall back to the file.</summary>
    public int LiveTailRecords { get; set; } = AuditWalOptions.DefaultLiveTailRecords;

    /// <summary>Where the tenant dials; management's own endpoint unless a forwarder stands in front.</summary>
    public string? Endpoint { get; set; }

    /// <summary>First reconnect delay; a long one proves a reconnect that happens without backing off.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Adds to the agent's services (for example the custody verification a revocation must reach).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException($"Tenant {ClusterId} is not running");

    public AuditWal Wal => Services.GetRequiredService<AuditWal>();

    public AuditEventLog Audit => Services.GetRequiredService<AuditEventLog>();

    public FederationChannelState Channel => Services.GetRequiredService<FederationChannelState>();

    public FederationClient Client => Services.GetRequiredService<FederationClient>();

    public RevokedArtifacts Revoked => Services.GetRequiredService<RevokedArtifacts>();

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FederationClientOptions.EndpointVariable] = Endpoint ?? _management.Endpoint,
            [FederationClientOptions.ClientCertificatePathVariable] = _certificatePath,
            [FederationClientOptions.ClientKeyPathVariable] = _keyPath,
            [FederationClientOptions.CaCertificatePathVariable] = _management.CaCertificatePath,
            [AuditWalOptions.PathVariable] = WalPath,
            [AgentOptions.PodNamespaceEnvVar] = Namespace,
            [AgentOptions.ClusterRefEnvVar] = ClusterId,
        });
        builder.Logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton(_fixture.Tenant);
        if (Replica.Length > 0)
        {
            builder.Configuration[LeadershipOptions.PodNameEnvVar] = Replica;
            builder.Services.AddLeadership();
            builder.Services.Configure<LeadershipOptions>(o =>
                (o.LeaseDuration, o.RenewDeadline, o.RetryPeriod) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250)));
        }

        builder.Services.AddFederationClient();
        builder.Services.Configure<FederationClientOptions>(o =>
        {
            o.HeartBeatInterval = ManagementAgent.HeartBeat;
            o.ReconnectInitialDelay = ReconnectInitialDelay;
            o.ReconnectMaxDelay = ReconnectInitialDelay * 5;
            o.ValidationTimeout = TimeSpan.FromSeconds(10);
            o.AuditBatchMaxEvents = BatchMaxEvents;
        });
        builder.Services.Configure<AuditWalOptions>(o => o.LiveTailRecords = LiveTailRecords);
        ConfigureServices?.Invoke(builder.Services);
        _host = builder.Build();
        await _host.StartAsync();
    }

    /// <summary>Stops the host abruptly, as a killed pod: the WAL keeps only what it reported durable.</summary>
    public async Task StopAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            await host.StopAsync(TimeSpan.FromSeconds(5));
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }

    public Task<ulong> RecordAsync(int index) => Audit.RecordAsync(new AuditEvent
    {
        Actor = "system:serviceaccount:ont-system:conductor",
        Verb = "update",
        Resource = "configmaps",
        Namespace = "default",
        Name = $"item-{index}",
        Outcome = "allowed",
        MatchedPolicy = "cluster-policy",
    }).AsTask();

    /// <summary>Records events until <paramref name="stop"/>, noting each sequence the WAL reported durable.</summary>
    public async Task RecordUntilAsync(ConcurrentDictionary<ulong, string> durable, CancellationToken stop)
    {
        for (var i = 1; !stop.IsCancellationRequested; i++)
        {
            durable[await RecordAsync(i)] = $"item-{i}";
            if (i % 10 == 0)
            {
                await Task.Yield();
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
