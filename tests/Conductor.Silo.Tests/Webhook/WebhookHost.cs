using System.Globalization;
using Conductor.Silo.Leadership;
using Conductor.Silo.Webhook;
using Conductor.TestSupport.Certificates;
using Conductor.TestSupport.Logging;
using Conductor.TestSupport.Network;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Tests.Webhook;

/// <summary>The tenant agent's webhook wiring on real Kestrel with real TLS, bound to 127.0.0.1 on a free port.</summary>
internal sealed class WebhookHost : IAsyncDisposable
{
    private WebhookHost(WebApplication app, int port, FederationPki pki, string directory, RecordingLoggerProvider logs)
    {
        App = app;
        Port = port;
        Pki = pki;
        Directory = directory;
        Logs = logs;
    }

    public WebApplication App { get; }

    public int Port { get; }

    public FederationPki Pki { get; }

    public string Directory { get; }

    public RecordingLoggerProvider Logs { get; }

    public EnforcementGate Gate => App.Services.GetRequiredService<EnforcementGate>();

    public ILeadership Leadership => App.Services.GetRequiredService<ILeadership>();

    public Uri Url(string path) => new($"https://127.0.0.1:{Port}{path}");

    public static async Task<WebhookHost> StartAsync(IKubernetes client, string @namespace, string identity, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("conductor-webhook-").FullName;
        var pki = FederationPki.Create("Webhook Test CA");
        var files = pki.WriteTo(directory, "unused");
        var port = FreePort.Next();
        var logs = new RecordingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WEBHOOK_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["WEBHOOK_TLS_CERT_PATH"] = files.ServerCertificatePath,
            ["WEBHOOK_TLS_KEY_PATH"] = files.ServerKeyPath,
            ["POD_NAMESPACE"] = @namespace,
            ["CLUSTER_REF"] = "ccs-webhook",
            ["POD_NAME"] = identity,
            ["LEASE_DURATION"] = "3s",
            ["LEASE_RENEW_DEADLINE"] = "2s",
            ["LEASE_RETRY_PERIOD"] = "250ms",
        });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(client);
        builder.Services.AddAdmissionWebhooks();
        builder.Services.Configure<WebhookOptions>(o => o.BindAddress = "127.0.0.1");
        var app = builder.Build();
        app.MapAdmissionWebhooks();
        await app.StartAsync(cancellationToken);
        return new WebhookHost(app, port, pki, directory, logs);
    }

    /// <summary>An HTTPS client that trusts exactly the test CA.</summary>
    public HttpClient Client()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(Pki.Ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
        Pki.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
