using System.Globalization;
using Conductor.Signing;
using Conductor.Silo.Custody;
using Conductor.Silo.Federation.AuditWal;
using Conductor.Silo.Leadership;
using Conductor.Silo.Permissions;
using Conductor.Silo.Startup;
using Conductor.Silo.Tenant.Federation;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Logging;
using Conductor.TestSupport.Network;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Integration.Tests.Federation;

/// <summary>
/// A tenant agent as the tenant role composes what onboarding needs, against the real tenant apiserver: the Lease
/// election, the federation client (dialling only as leader), custody verification trusting the given management keys
/// (no MGMT_KUBECONFIG_PATH: import mode, everything arrives over the channel), and the PermissionService on real
/// Kestrel with TLS.
/// </summary>
public sealed class OnboardingTenant : IAsyncDisposable
{
    private readonly FederationFixture _fixture;
    private readonly ManagementAgent _management;
    private readonly FederationPkiFiles _files;
    private readonly string _directory;
    private readonly int _permissionPort = FreePort.Next();
    private WebApplication? _app;

    public OnboardingTenant(FederationFixture fixture, ManagementAgent management, string clusterId, string @namespace, RecordingLoggerProvider logs,
        params Ed25519PrivateKey[] trusted)
    {
        (_fixture, _management, ClusterId, Namespace, Logs) = (fixture, management, clusterId, @namespace, logs);
        _directory = Path.Combine(fixture.Directory, "onboarding-" + clusterId);
        _files = fixture.Pki.WriteTo(_directory, clusterId);
        KeysDirectory = Path.Combine(_directory, "keys");
        Directory.CreateDirectory(KeysDirectory);
        foreach (var key in trusted)
        {
            File.WriteAllText(Path.Combine(KeysDirectory, key.KeyId.Replace(':', '-') + ".pem"), key.PublicKey.ExportPem());
        }
    }

    public string ClusterId { get; }

    public string Namespace { get; }

    public string KeysDirectory { get; }

    public RecordingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException($"Tenant {ClusterId} is not running");

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FederationClientOptions.EndpointVariable] = _management.Endpoint,
            [FederationClientOptions.ClientCertificatePathVariable] = _files.ClientCertificatePath,
            [FederationClientOptions.ClientKeyPathVariable] = _files.ClientKeyPath,
            [FederationClientOptions.CaCertificatePathVariable] = _management.CaCertificatePath,
            [AuditWalOptions.PathVariable] = Path.Combine(_directory, "wal"),
            [AgentOptions.PodNamespaceEnvVar] = Namespace,
            [AgentOptions.ClusterRefEnvVar] = ClusterId,
            [LeadershipOptions.PodNameEnvVar] = ClusterId + "-agent-0",
            [CustodyOptions.PublicKeysDirEnvVar] = KeysDirectory,
            [PermissionServiceOptions.PortEnvVar] = _permissionPort.ToString(CultureInfo.InvariantCulture),
            [PermissionServiceOptions.CertificatePathEnvVar] = _files.ServerCertificatePath,
            [PermissionServiceOptions.KeyPathEnvVar] = _files.ServerKeyPath,
        });
        builder.Logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton(_fixture.Tenant);
        builder.Services.AddPermissionService();
        builder.Services.Configure<PermissionServiceOptions>(o => o.BindAddress = "127.0.0.1");
        builder.AddCustodyVerification();
        builder.Services.AddFederationClient();
        builder.Services.Configure<FederationClientOptions>(o =>
        {
            o.HeartBeatInterval = ManagementAgent.HeartBeat;
            o.ReconnectInitialDelay = TimeSpan.FromMilliseconds(100);
            o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(500);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        _app = builder.Build();
        _app.MapPermissionService();
        await _app.StartAsync();
    }

    /// <summary>grpc.health.v1 of the PermissionService, over TLS trusting the fixture's CA.</summary>
    public async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync()
    {
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{_permissionPort}", new GrpcChannelOptions { HttpHandler = _fixture.Pki.TrustingHandler() });
        var response = await new Health.HealthClient(channel).CheckAsync(
            new HealthCheckRequest { Service = PermissionServiceExtensions.HealthServiceName });
        return response.Status;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
