using System.Collections.Concurrent;
using System.Diagnostics;
using Conductor.Integration.Tests.Federation;
using Conductor.TestSupport.Logging;

namespace Conductor.Integration.Tests.Observability;

/// <summary>
/// One trace from a tenant's federation connect through the management gateway's gRPC request into the grains it
/// calls: HttpClient carries the tenant's context in traceparent, ASP.NET continues it, Orleans propagates it.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class FederationTracingTests(FederationFixture fixture) : IClassFixture<FederationFixture>
{
    private static readonly ActivitySource TestSource = new("Conductor.Tests.FederationTracing");

    [Fact]
    public async Task Connect_TenantTrace_SpansGrpcRequestAndGrainCalls()
    {
        // Collected at start: the stream's request and HttpClient spans stay open while the tenant is connected.
        var started = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var logs = new RecordingLoggerProvider();
        await using var management = new ManagementAgent(fixture, logs);
        await management.StartAsync();
        await using var tenant = new TenantAgent(fixture, management, Topology.NewClusterId("trace"), logs);
        tenant.Namespace = await fixture.CreateTenantNamespaceAsync();
        await FederationFixture.CreateRunnerConfigAsync(fixture.Management, fixture.ManagementNamespace, tenant.ClusterId);
        await FederationFixture.CreateRunnerConfigAsync(fixture.Tenant, tenant.Namespace, tenant.ClusterId);

        ActivityTraceId traceId;
        using (var root = TestSource.StartActivity("tenant connects", ActivityKind.Internal))
        {
            traceId = root!.TraceId;
            // The client's connect loop starts here, so it (and its gRPC call) runs in this trace.
            await tenant.StartAsync();
        }
        await Eventually.TrueAsync(() => tenant.Channel.Live is not null, $"tenant {tenant.ClusterId} live");
        await Eventually.TrueAsync(
            () => started.Any(a => a.TraceId == traceId && a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)),
            "a grain-call span in the tenant's trace");
        var trace = started.Where(a => a.TraceId == traceId).ToList();

        var servers = trace.Where(a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server).ToList();
        var grainCalls = trace.Where(a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(servers);
        Assert.Contains(trace, a => a.Source.Name == "System.Net.Http" && a.Kind == ActivityKind.Client);
        Assert.Contains(grainCalls, call => servers.Any(server => IsDescendant(call, server, trace)));
    }

    private static bool IsDescendant(Activity span, Activity ancestor, List<Activity> trace)
    {
        var byId = trace.ToDictionary(a => a.SpanId);
        for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }
        }
        return false;
    }
}
