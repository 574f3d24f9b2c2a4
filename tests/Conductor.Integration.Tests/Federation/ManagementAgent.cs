using Conductor.Grains.Federation;
using Conductor.Signing;
using Conductor.Silo.Signing;
using Conductor.Silo.Federation;
using Conductor.Silo.Federation.Gateway;
using Conductor.Silo.Federation.Revocation;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Logging;
using Conductor.TestSupport.Network;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conductor.Integration.Tests.Federation;

/// <summary>
/// The management agent as production composes its federation side: an Orleans silo (localhost clustering) with
/// the federation grains, the mTLS gateway on real Kestrel and the revocation watch, against the real management
/// apiserver. Restartable on the same ports, as a replaced pod would be. Given a signing key, it also runs management
/// signing over the fixture's management namespace.
/// </summary>
public sealed class ManagementAgent : IAsyncDisposable
{
    public static readonly TimeSpan HeartBeat = TimeSpan.FromMilliseconds(200);

    private readonly FederationFixture _fixture;
    private readonly FederationPkiFiles _files;
    private readonly int _siloPort = FreePort.Next();
    private readonly int _gatewayPort = FreePort.Next();
    private readonly string? _signingKeyPath;
    private WebApplication? _app;

    public ManagementAgent(FederationFixture fixture, RecordingLoggerProvider logs, Ed25519PrivateKey? signingKey = null)
    {
        _fixture = fixture;
        Logs = logs;
        var directory = Path.Combine(fixture.Directory, "management-" + Guid.NewGuid().ToString("N"));
        _files = fixture.Pki.WriteTo(directory, "unused");
        if (signingKey is not null)
        {
            _signingKeyPath = Path.Combine(directory, "signing.pem");
            File.WriteAllText(_signingKeyPath, signingKey.ExportPem());
        }
        Port = FreePort.Next();
    }

    public int Port { get; }

    public string Endpoint => $"https://localhost:{Port}";

    public RecordingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("Management is not running");

    public IGrainFactory Grains => _app?.Services.GetRequiredService<IGrainFactory>() ?? throw new InvalidOperationException("Management is not running");

    public RevocationWatch Watch => _app!.Services.GetRequiredService<RevocationWatch>();

    public string CaCertificatePath => _files.CaCertificatePath;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FederationGatewayOptions.PortVariable] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [FederationGatewayOptions.CaCertificatePathVariable] = _files.CaCertificatePath,
            [FederationGatewayOptions.ServerCertificatePathVariable] = _files.ServerCertificatePath,
            [FederationGatewayOptions.ServerKeyPathVariable] = _files.ServerKeyPath,
            [FederationGrainOptions.StoreNamespaceVariable] = _fixture.ManagementNamespace,
            [SigningOptions.PrivateKeyPathEnvVar] = _signingKeyPath,
            [SigningOptions.NamespaceEnvVar] = _fixture.ManagementNamespace,
        });
        builder.Logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton(_fixture.Management);
        builder.Services.AddManagementFederation();
        if (_signingKeyPath is not null)
        {
            builder.Services.AddManagementSigning(builder.Configuration);
        }
        builder.Services.Configure<FederationGatewayOptions>(o => o.BindAddress = "127.0.0.1");
        builder.Services.Configure<FederationGrainOptions>(o =>
        {
            o.HeartBeatInterval = HeartBeat;
            o.RunnerConfigNamespace = _fixture.ManagementNamespace;
            o.TenantNamespace = _fixture.ManagementNamespace;
            o.TalosClusterNamespace = _fixture.ManagementNamespace;
        });
        builder.Services.Configure<RevocationWatchOptions>(o => o.Namespace = _fixture.ManagementNamespace);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.UseOrleans(silo => silo.UseLocalhostClustering(_siloPort, _gatewayPort).AddMemoryGrainStorageAsDefault().AddActivityPropagation());
        _app = builder.Build();
        _app.MapManagementFederation();
        await _app.StartAsync();
        await Watch.ReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops the silo and the gateway; every tenant stream is cut.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// Rotates the signing key as a replaced Secret would: the mounted file changes and the key file re-reads it, which
    /// re-signs every resource with <paramref name="key"/>.
    /// </summary>
    public void RotateSigningKey(Ed25519PrivateKey key)
    {
        var path = _signingKeyPath ?? throw new InvalidOperationException("This management agent was started without a signing key");
        File.WriteAllText(path, key.ExportPem());
        if (!Services.GetRequiredService<SigningKeyFile>().Reload())
        {
            throw new InvalidOperationException($"The signing key file {path} did not change to key {key.KeyId}");
        }
    }

    public Task<Conductor.Federation.TenantSessionStatus> SessionAsync(string clusterId) =>
        Grains.GetGrain<Conductor.Federation.ITenantSessionGrain>(clusterId).GetStatusAsync();

    public async ValueTask DisposeAsync() => await StopAsync();
}

