using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Startup;
using Conductor.Silo.Tenant.Federation;
using Conductor.Silo.Tests.Custody;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Logging;
using Conductor.TestSupport.Network;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tests.Tenant.Federation;

/// <summary>
/// The tenant's federation side stopped while management is unreachable (real tenant apiserver): the reporter is
/// waiting out a failed condition write or the next channel change, the client is backing off between dials.
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class DegradedConditionReporterTests(TenantReceiptNamespace tenant) : IClassFixture<TenantReceiptNamespace>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conductor-degraded-").FullName;
    private readonly FederationPki _pki = FederationPki.Create();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StopAsync_ManagementUnreachable_EveryServiceEndsQuietly()
    {
        var logs = new RecordingLoggerProvider();
        using var host = Build(logs);
        await host.StartAsync(Ct);
        // The RunnerConfig does not exist: the reporter says so and waits for the next channel change.
        await logs.WaitForAsync(e => e.EventId.Name == "LogObjectMissing", TimeSpan.FromSeconds(30));
        await logs.WaitForAsync(e => e.EventId.Name == "LogStreamEnded", TimeSpan.FromSeconds(30));

        await host.StopAsync(Ct);

        AssertEndedQuietly(host, logs);
    }

    [Fact]
    public async Task Dispose_ManagementUnreachableWithoutStop_EveryServiceEndsQuietly()
    {
        var logs = new RecordingLoggerProvider();
        var host = Build(logs);
        await host.StartAsync(Ct);
        await logs.WaitForAsync(e => e.EventId.Name == "LogObjectMissing", TimeSpan.FromSeconds(30));
        var services = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();

        host.Dispose();

        foreach (var service in services)
        {
            // Disposal cancels the stopping token without waiting for the loops: wait for each to end, capped.
            await Task.WhenAny(service.ExecuteTask!).WaitAsync(TimeSpan.FromSeconds(15), Ct);
            Assert.True(service.ExecuteTask!.IsCompletedSuccessfully, $"{service.GetType().Name} ended {service.ExecuteTask.Status}");
        }
        Assert.Empty(Errors(logs));
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static void AssertEndedQuietly(IHost host, RecordingLoggerProvider logs)
    {
        // A task that ends Canceled or Faulted is what the host reports as "BackgroundService failed".
        foreach (var service in host.Services.GetServices<IHostedService>().OfType<BackgroundService>())
        {
            Assert.True(service.ExecuteTask is { IsCompletedSuccessfully: true }, $"{service.GetType().Name} ended {service.ExecuteTask?.Status}");
        }
        Assert.Empty(Errors(logs));
    }

    private static IEnumerable<string> Errors(RecordingLoggerProvider logs) =>
        logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.GetType().Name}");

    private IHost Build(RecordingLoggerProvider logs)
    {
        var files = _pki.WriteTo(Path.Combine(_dir, Guid.NewGuid().ToString("N")), "ccs-stop");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Nothing listens there: every dial fails and the client backs off.
            [FederationClientOptions.EndpointVariable] = $"https://localhost:{FreePort.Next()}",
            [FederationClientOptions.ClientCertificatePathVariable] = files.ClientCertificatePath,
            [FederationClientOptions.ClientKeyPathVariable] = files.ClientKeyPath,
            [FederationClientOptions.CaCertificatePathVariable] = files.CaCertificatePath,
            [AuditWalOptions.PathVariable] = Path.Combine(_dir, Guid.NewGuid().ToString("N"), "audit-wal"),
            [AgentOptions.PodNamespaceEnvVar] = tenant.Name,
            [AgentOptions.ClusterRefEnvVar] = "ccs-stop",
        });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton(tenant.Client);
        builder.Services.AddFederationClient();
        return builder.Build();
    }
}
