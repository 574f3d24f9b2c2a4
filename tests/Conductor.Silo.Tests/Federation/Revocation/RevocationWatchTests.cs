using Conductor.Grains.Federation;
using Conductor.Silo.Federation;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Federation.Revocation;
using Conductor.Silo.Tests.Federation.Gateway;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Logging;
using Conductor.TestSupport.Network;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tests.Federation.Revocation;

/// <summary>The management host's revocation watch, started and stopped against the real management apiserver.</summary>
[Collection(GatewayKubeCollection.Name)]
public sealed class RevocationWatchTests(TestNamespace kubeNamespace) : IClassFixture<TestNamespace>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conductor-revocation-watch-").FullName;
    private readonly FederationPki _pki = FederationPki.Create();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StopAsync_WatchRunning_EndsQuietly()
    {
        var logs = new RecordingLoggerProvider();
        var app = Build(logs, kubeNamespace.Client);
        await app.StartAsync(Ct);
        var watch = app.Services.GetRequiredService<RevocationWatch>();
        await watch.ReadyAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await app.StopAsync(Ct);
        await app.DisposeAsync();

        AssertEndedQuietly(watch, logs);
    }

    [Fact]
    public async Task StopAsync_WatchBackingOffAfterFailedList_EndsQuietly()
    {
        var logs = new RecordingLoggerProvider();
        using var anonymous = Anonymous();
        var app = Build(logs, anonymous);
        await app.StartAsync(Ct);
        var watch = app.Services.GetRequiredService<RevocationWatch>();
        await logs.WaitForAsync(e => e.EventId.Name == "LogWatchFailed" && e.Message.Contains("Forbidden", StringComparison.OrdinalIgnoreCase),
            TimeSpan.FromSeconds(30));

        await app.StopAsync(Ct);
        await app.DisposeAsync();

        AssertEndedQuietly(watch, logs);
    }

    [Fact]
    public async Task DisposeAsync_WatchBackingOffWithoutStop_EndsQuietly()
    {
        var logs = new RecordingLoggerProvider();
        using var anonymous = Anonymous();
        var app = Build(logs, anonymous);
        await app.StartAsync(Ct);
        var watch = app.Services.GetRequiredService<RevocationWatch>();
        await logs.WaitForAsync(e => e.EventId.Name == "LogWatchFailed", TimeSpan.FromSeconds(30));

        // As the federation bench does: disposing a started host cancels the stopping token without StopAsync.
        await app.DisposeAsync();
        await Task.WhenAny(watch.ExecuteTask!).WaitAsync(TimeSpan.FromSeconds(15), Ct);

        AssertEndedQuietly(watch, logs);
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static void AssertEndedQuietly(RevocationWatch watch, RecordingLoggerProvider logs)
    {
        // A task that ends Canceled or Faulted is what the host reports as "BackgroundService failed".
        Assert.Empty(logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.GetType().Name}"));
        Assert.NotNull(watch.ExecuteTask);
        Assert.Equal(TaskStatus.RanToCompletion, watch.ExecuteTask.Status);
    }

    /// <summary>A client of the same apiserver without credentials: every list is Forbidden, so the watch backs off.</summary>
    private static k8s.Kubernetes Anonymous()
    {
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(Environment.GetEnvironmentVariable(KubeFixture.KubeconfigVariable));
        configuration.ClientCertificateData = null;
        configuration.ClientCertificateKeyData = null;
        configuration.ClientCertificateFilePath = null;
        configuration.ClientKeyFilePath = null;
        return new k8s.Kubernetes(configuration);
    }

    private WebApplication Build(RecordingLoggerProvider logs, IKubernetes kube)
    {
        var files = _pki.WriteTo(_dir, "unused");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FederationGatewayOptions.PortVariable] = "0",
            [FederationGatewayOptions.CaCertificatePathVariable] = files.CaCertificatePath,
            [FederationGatewayOptions.ServerCertificatePathVariable] = files.ServerCertificatePath,
            [FederationGatewayOptions.ServerKeyPathVariable] = files.ServerKeyPath,
            [FederationGrainOptions.StoreNamespaceVariable] = kubeNamespace.Name,
        });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton(kube);
        builder.Services.AddManagementFederation();
        builder.Services.Configure<FederationGatewayOptions>(o => o.BindAddress = "127.0.0.1");
        builder.Services.Configure<FederationGrainOptions>(o => (o.RunnerConfigNamespace, o.TenantNamespace) = (kubeNamespace.Name, kubeNamespace.Name));
        builder.Services.Configure<RevocationWatchOptions>(o => o.Namespace = kubeNamespace.Name);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next()).AddMemoryGrainStorageAsDefault());
        var app = builder.Build();
        app.MapManagementFederation();
        return app;
    }
}
