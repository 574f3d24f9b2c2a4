using System.Net;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Network;
using Conductor.TestSupport.Processes;

namespace Conductor.Silo.Tests.Startup;

/// <summary>The built agent, started as a process for each role: configuration errors, readiness, graceful stop.</summary>
public sealed class AgentApplicationTests
{
    private static readonly TimeSpan ReadyCap = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("management")]
    [InlineData("tenant")]
    public async Task Main_NoClusterRef_ExitsOneNamingVariable(string role)
    {
        var environment = Environment(role, clusterRef: null);

        var result = await ProgramRunner.RunAsync("conductor", [], environment, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("conductor: CLUSTER_REF is required", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_BadPortAndNamespace_ReportsEveryFailure()
    {
        var environment = Environment("management", "mgmt");
        environment["INTERNAL_PORT"] = "70000";
        environment["POD_NAMESPACE"] = "Not_A_Namespace";

        var result = await ProgramRunner.RunAsync("conductor", [], environment, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("INTERNAL_PORT 70000", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("POD_NAMESPACE 'Not_A_Namespace'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_InternalPortInUse_ExitsOneNamingTheAddress()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Any, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        var environment = Environment("tenant", "cluster-a");
        environment["INTERNAL_PORT"] = taken.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await ProgramRunner.RunAsync("conductor", [], environment, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"conductor: Failed to bind to address", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($":{taken}", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("management")]
    [InlineData("tenant")]
    public async Task Main_ValidRole_ReadyOnInternalPortThenStopsOnSigterm(string role)
    {
        // Management readiness waits for its RunnerConfig and Job watches' first lists: the CRDs must be served.
        var kube = new KubeFixture();
        await kube.InitializeAsync();
        await kube.DisposeAsync();
        var internalPort = FreePort.Next();
        var environment = Environment(role, "cluster-a");
        environment["INTERNAL_PORT"] = internalPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var agent = RunningProgram.Start("conductor", [], environment);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var ready = await WaitForStatusAsync(http, $"http://127.0.0.1:{internalPort}/readyz", agent);
        var live = await http.GetAsync(new Uri($"http://127.0.0.1:{internalPort}/healthz"), TestContext.Current.CancellationToken);
        var exit = await agent.StopAsync(TimeSpan.FromSeconds(30));

        Assert.True(ready == HttpStatusCode.OK, agent.ToString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(exit == 0, $"exit {exit}\n{agent}");
    }

    [Fact]
    public async Task Main_SigtermWhileStarting_ExitsZeroWithoutAStackTrace()
    {
        // A pod deleted before it is ready: SIGTERM arrives while the host is still starting (the Orleans silo starts
        // before Kestrel binds), and the host cancels its start-up.
        var kube = new KubeFixture();
        await kube.InitializeAsync();
        await kube.DisposeAsync();
        var environment = Environment("management", "cluster-a");
        environment["INTERNAL_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var agent = RunningProgram.Start("conductor", [], environment);
        using (var cap = new CancellationTokenSource(ReadyCap))
        {
            while (!agent.Stdout.Contains("Starting Orleans Silo.", StringComparison.Ordinal) && !agent.HasExited)
            {
                await Task.Delay(10, cap.Token);
            }
        }

        var exit = await agent.StopAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 0, $"exit {exit}\n{agent}");
        Assert.DoesNotContain("Unhandled exception", agent.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Environment(string role, string? clusterRef) => new()
    {
        ["CONDUCTOR_ROLE"] = role,
        ["CLUSTER_REF"] = clusterRef,
        ["SILO_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["GATEWAY_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The test API servers are shared: a tenant agent that wins its Lease must not sweep other tests' RBAC.
        ["SWEEP_NAMESPACE_SELECTOR"] = "conductor.ontai.dev/sweep-nothing=true",
        ["SWEEP_CLUSTER_SCOPED_SELECTOR"] = "conductor.ontai.dev/sweep-nothing=true",
    };

    /// <summary>Polls until the endpoint answers 200, the agent exits, or the cap passes; returns the last status.</summary>
    private static async Task<HttpStatusCode?> WaitForStatusAsync(HttpClient http, string url, RunningProgram agent)
    {
        using var cap = new CancellationTokenSource(ReadyCap);
        HttpStatusCode? last = null;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!agent.HasExited && await tick.WaitForNextTickAsync(cap.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default))
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url), cap.Token);
                last = response.StatusCode;
                if (last == HttpStatusCode.OK)
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }
        return last;
    }
}
