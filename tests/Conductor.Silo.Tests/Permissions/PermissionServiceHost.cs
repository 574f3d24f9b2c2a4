using System.Globalization;
using Conductor.Silo.Permissions;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Logging;
using Conductor.TestSupport.Network;
using Grpc.Net.Client;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tests.Permissions;

/// <summary>The tenant agent's PermissionService wiring on real Kestrel with real TLS, bound to 127.0.0.1 on a free port.</summary>
internal sealed class PermissionServiceHost : IAsyncDisposable
{
    private readonly FederationPki _pki;
    private readonly string _directory;

    private PermissionServiceHost(WebApplication app, int port, FederationPki pki, string directory, RecordingLoggerProvider logs)
    {
        App = app;
        Port = port;
        _pki = pki;
        _directory = directory;
        Logs = logs;
    }

    public WebApplication App { get; }

    public int Port { get; }

    public RecordingLoggerProvider Logs { get; }

    public static async Task<PermissionServiceHost> StartAsync(IKubernetes client, string @namespace, string cluster, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("conductor-permissions-").FullName;
        var pki = FederationPki.Create("PermissionService Test CA");
        var files = pki.WriteTo(directory, "unused");
        var port = FreePort.Next();
        var logs = new RecordingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PERMISSION_SERVICE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["PERMISSION_SERVICE_TLS_CERT_PATH"] = files.ServerCertificatePath,
            ["PERMISSION_SERVICE_TLS_KEY_PATH"] = files.ServerKeyPath,
            ["POD_NAMESPACE"] = @namespace,
            ["CLUSTER_REF"] = cluster,
        });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(client);
        builder.Services.AddPermissionService();
        builder.Services.Configure<PermissionServiceOptions>(o => o.BindAddress = "127.0.0.1");
        var app = builder.Build();
        app.MapPermissionService();
        await app.StartAsync(cancellationToken);
        return new PermissionServiceHost(app, port, pki, directory, logs);
    }

    /// <summary>A gRPC channel over TLS that trusts exactly the test CA.</summary>
    public GrpcChannel Channel() =>
        GrpcChannel.ForAddress($"https://127.0.0.1:{Port}", new GrpcChannelOptions { HttpHandler = _pki.TrustingHandler() });

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
