using System.Net;
using System.Text.Json;
using Conductor.Resources.Dispatcher;
using Conductor.Resources.Guardian;
using Conductor.Signing;
using Conductor.Silo.Custody;
using Conductor.Silo.Health;
using Conductor.Silo.Leadership;
using Conductor.Silo.Permissions;
using Conductor.Silo.Tests.Custody;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.Silo.Tests.Leadership;
using Conductor.Silo.Tests.Signing;
using Conductor.Silo.Webhook;
using Conductor.TestSupport;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Network;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conductor.Silo.Tests.Health;

/// <summary>
/// The tenant agent's /readyz on a real Kestrel: the enforcement-gate and permission-snapshot watches list from the real
/// tenant kube-apiserver, and the custody pull loops list from the real management kube-apiserver (or cannot).
/// </summary>
[Collection(KubeCollection.Name)]
public sealed class TenantReadinessTests(ManagementTenantNamespace management, TenantReceiptNamespace tenant)
    : IClassFixture<ManagementTenantNamespace>, IClassFixture<TenantReceiptNamespace>
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readyz_TenantWatchesListed_ReadyAndNamesEachWatchSynced()
    {
        await using var agent = await TenantAgent.StartAsync(tenant, management.Client, management.Cluster);

        var (status, body) = await agent.WaitForBodyAsync(b => b.GetProperty("status").GetString() == "Healthy");

        var data = Data(body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("synced", data[$"ConfigMap {tenant.Name}/{EnforcementGate.ConfigMapName}"]);
        Assert.Equal("synced", data[$"{PermissionSnapshot.KindName} in {tenant.Name}"]);
        Assert.Equal("synced", data[$"{PermissionSnapshotReceipt.KindName} in {tenant.Name}"]);
        Assert.Equal("synced", data[$"{PermissionSnapshot.KindName} in {management.Name}"]);
        Assert.Equal("synced", data[$"{PackInstalled.KindName} in {management.Name}"]);
    }

    [Fact]
    public async Task Readyz_ManagementUnreachable_NotReadyAndNamesCustodyWatchAndCause()
    {
        using var unreachable = new k8s.Kubernetes(new KubernetesClientConfiguration
        {
            Host = $"https://127.0.0.1:{FreePort.Next()}",
            SkipTlsVerify = true,
        });
        await using var agent = await TenantAgent.StartAsync(tenant, unreachable, management.Cluster);
        var custodyWatch = $"{PermissionSnapshot.KindName} in {management.Name}";

        // Wait until every local watch is in and the custody watch has failed at least once.
        var (status, body) = await agent.WaitForBodyAsync(b =>
            Data(b).TryGetValue($"ConfigMap {tenant.Name}/{EnforcementGate.ConfigMapName}", out var gate) && gate == "synced"
            && Data(b).TryGetValue($"{PermissionSnapshotReceipt.KindName} in {tenant.Name}", out var receipts) && receipts == "synced"
            // Every other local watch too (the PermissionSnapshot watch lists on its own schedule).
            && Data(b).Where(e => e.Key.Contains(tenant.Name, StringComparison.Ordinal)).All(e => e.Value == "synced")
            && Data(b).TryGetValue(custodyWatch, out var custody) && custody.StartsWith("not synced: ", StringComparison.Ordinal)
            && custody != "not synced: listing");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains(custodyWatch, Description(body), StringComparison.Ordinal);
        Assert.DoesNotContain($"in {tenant.Name}", Description(body), StringComparison.Ordinal);
    }

    private static string Description(JsonElement body) =>
        body.GetProperty("checks").GetProperty("watches").GetProperty("description").GetString() ?? "";

    private static Dictionary<string, string> Data(JsonElement body) =>
        body.GetProperty("checks").GetProperty("watches").TryGetProperty("data", out var data)
            ? data.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : [];

    /// <summary>The tenant agent's watches behind a real health endpoint: the hosted syncs by DI, custody as its host composes it.</summary>
    private sealed class TenantAgent : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly CustodyService _custody;
        private readonly TemporaryDirectory _keys;
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
        private readonly int _port;

        private TenantAgent(WebApplication app, CustodyService custody, TemporaryDirectory keys, int port)
        {
            _app = app;
            _custody = custody;
            _keys = keys;
            _port = port;
        }

        public static async Task<TenantAgent> StartAsync(TenantReceiptNamespace tenant, IKubernetes managementClient, string cluster)
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            builder.Services.AddAgentHealth();
            builder.Services.AddSingleton(tenant.Client);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<ILeadership, AlwaysLeader>();
            builder.Services.AddSingleton<LeaderOnlyWriter>();
            builder.Services.AddSingleton<EnforcementGate>();
            builder.Services.AddSingleton<PermissionSnapshotStore>();
            builder.Services.Configure<WebhookOptions>(o => o.Namespace = tenant.Name);
            builder.Services.Configure<PermissionServiceOptions>(o =>
            {
                o.Namespace = tenant.Name;
                o.Cluster = cluster;
            });
            builder.Services.AddHostedService<EnforcementStateSync>();
            builder.Services.AddHostedService<PermissionSnapshotSync>();
            var app = builder.Build();
            app.MapAgentHealth(port);
            var keys = new TemporaryDirectory();
            var signer = Ed25519PrivateKey.Generate();
            await File.WriteAllTextAsync(keys.File("management.pem"), signer.PublicKey.ExportPem(), Ct);
            var custody = new CustodyService(new CustodyOptions { ClusterRef = cluster, ReceiptNamespace = tenant.Name }, managementClient, tenant.Client,
                new TrustedKeysDirectory(keys.Path), new RevocationRegistry(), new AlwaysLeader(), TimeProvider.System, NullLogger<CustodyService>.Instance,
                readiness: app.Services.GetRequiredService<WatchReadiness>());
            await custody.StartAsync(Ct);
            await app.StartAsync(Ct);
            return new TenantAgent(app, custody, keys, port);
        }

        public async Task<(HttpStatusCode Status, JsonElement Body)> WaitForBodyAsync(Func<JsonElement, bool> match)
        {
            using var cap = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            cap.CancelAfter(Cap);
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
            while (true)
            {
                using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{_port}{HealthEndpointExtensions.ReadinessPath}"), cap.Token);
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cap.Token));
                if (match(document.RootElement))
                {
                    return (response.StatusCode, document.RootElement.Clone());
                }
                await tick.WaitForNextTickAsync(cap.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _custody.StopAsync(CancellationToken.None);
            _custody.Dispose();
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _http.Dispose();
            _keys.Dispose();
        }
    }
}
