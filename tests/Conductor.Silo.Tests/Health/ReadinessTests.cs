using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Conductor.Resources.Seam;
using Conductor.Silo.Health;
using Conductor.Silo.Kubernetes;
using Conductor.Silo.Tests.Kubernetes;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Logging;
using Conductor.TestSupport.Network;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conductor.Silo.Tests.Health;

/// <summary>/readyz on a real Kestrel, gated on informers that list from the real kube-apiserver.</summary>
[Collection(KubeCollection.Name)]
public sealed class ReadinessTests(TestNamespace ns) : IClassFixture<TestNamespace>, IAsyncLifetime
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);
    private readonly RecordingLoggerProvider _logs = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private WebApplication? _app;
    private int _port;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WatchReadiness Readiness => _app!.Services.GetRequiredService<WatchReadiness>();

    public async ValueTask InitializeAsync()
    {
        _port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
        builder.Services.AddAgentHealth();
        _app = builder.Build();
        _app.MapAgentHealth(_port);
        await _app.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
        _logs.Dispose();
    }

    [Fact]
    public async Task Readyz_InformerNotYetListed_NotReadyUntilFirstList()
    {
        var source = new CustomResourceSource<RunnerConfig>(ns.Client, ns.Name);
        await using var informer = new ResourceInformer<RunnerConfig>(source, TimeProvider.System, NullLogger.Instance, readiness: Readiness);

        var (before, beforeBody) = await ProbeAsync();
        await informer.StartAsync(Ct);
        var listsWhenReady = await WaitUntilReadyAsync(() => informer.ListCount);
        var (after, afterBody) = await ProbeAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before);
        Assert.Contains(source.Description, Description(beforeBody), StringComparison.Ordinal);
        Assert.True(listsWhenReady >= 1, "readiness turned true before the informer listed");
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal("synced", Data(afterBody)[source.Description]);
    }

    [Fact]
    public async Task Readyz_WatcherCannotList_StaysNotReadyAndNamesWatcherAndCause()
    {
        var served = new CustomResourceSource<RunnerConfig>(ns.Client, ns.Name);
        var unserved = new UnservedSource(ns.Client, ns.Name);
        var fast = new ResourceInformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) };
        await using var good = new ResourceInformer<RunnerConfig>(served, TimeProvider.System, NullLogger.Instance, readiness: Readiness);
        await using var bad = new ResourceInformer<RunnerConfig>(unserved, TimeProvider.System, NullLogger.Instance, fast, Readiness);

        await good.StartAsync(Ct);
        await bad.StartAsync(Ct);
        await good.ReadyAsync(Ct).WaitAsync(Cap, Ct);
        var (status, body) = await WaitForBodyAsync(b => Data(b).TryGetValue(unserved.Description, out var state) && state.Contains("NotFound", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains(unserved.Description, Description(body), StringComparison.Ordinal);
        Assert.DoesNotContain(served.Description, Description(body), StringComparison.Ordinal);
        Assert.Equal("synced", Data(body)[served.Description]);
        Assert.True(bad.ListCount == 0, "the unserved kind was listed");
        Assert.DoesNotContain(_logs.Entries, e => e.Category == HealthEndpointExtensions.HealthCheckLogCategory && e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Readyz_InformerDisposed_NoLongerWaitedFor()
    {
        var unserved = new UnservedSource(ns.Client, ns.Name);
        var bad = new ResourceInformer<RunnerConfig>(unserved, TimeProvider.System, NullLogger.Instance, readiness: Readiness);
        var (before, _) = await ProbeAsync();

        await bad.DisposeAsync();
        var (after, body) = await ProbeAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before);
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.False(Data(body).ContainsKey(unserved.Description));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ProbeAsync()
    {
        using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{_port}{HealthEndpointExtensions.ReadinessPath}"), Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Polls until /readyz answers 200 and returns what <paramref name="observe"/> read right then.</summary>
    private async Task<int> WaitUntilReadyAsync(Func<int> observe)
    {
        var (_, _) = await WaitForBodyAsync(body => body.GetProperty("status").GetString() == "Healthy");
        return observe();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> WaitForBodyAsync(Func<JsonElement, bool> match)
    {
        using var cap = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cap.CancelAfter(Cap);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            var probe = await ProbeAsync();
            if (match(probe.Body))
            {
                return probe;
            }
            await tick.WaitForNextTickAsync(cap.Token);
        }
    }

    private static string Description(JsonElement body) =>
        body.GetProperty("checks").GetProperty("watches").GetProperty("description").GetString() ?? "";

    private static Dictionary<string, string> Data(JsonElement body) =>
        body.GetProperty("checks").GetProperty("watches").TryGetProperty("data", out var data)
            ? data.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : [];

    /// <summary>Lists a kind the server does not serve: the real API answers 404 to every list.</summary>
    private sealed class UnservedSource(IKubernetes client, string @namespace) : IResourceSource<RunnerConfig>
    {
        public string Description => $"widgets.absent.conductor.test in {@namespace}";

        public async Task<ResourceSnapshot<RunnerConfig>> ListAsync(CancellationToken cancellationToken)
        {
            await client.CustomObjects.ListNamespacedCustomObjectAsync("absent.conductor.test", "v1", @namespace, "widgets", cancellationToken: cancellationToken);
            throw new InvalidOperationException("the server listed a kind it does not serve");
        }

        public async IAsyncEnumerable<(WatchEventType Type, RunnerConfig Object)> WatchAsync(
            string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("never listed, so never watched");
#pragma warning disable CS0162 // The iterator needs a yield to be one.
            yield break;
#pragma warning restore CS0162
        }
    }
}
