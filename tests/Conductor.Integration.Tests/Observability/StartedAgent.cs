using System.Net;
using Conductor.TestSupport.Kubernetes;
using Conductor.TestSupport.Network;
using Conductor.TestSupport.Processes;

namespace Conductor.Integration.Tests.Observability;

/// <summary>A real <c>conductor</c> process in one role on free ports, waited on until <c>/readyz</c> answers 200.</summary>
internal sealed class StartedAgent : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private StartedAgent(RunningProgram program, int internalPort)
    {
        Program = program;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{internalPort}") };
    }

    public RunningProgram Program { get; }

    public HttpClient Http { get; }

    public static async Task<StartedAgent> StartAsync(
        string role, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (role == "management")
        {
            // Management readiness waits for its RunnerConfig and Job watches' first lists: the CRDs must be served.
            var kube = new KubeFixture();
            await kube.InitializeAsync();
            await kube.DisposeAsync();
        }
        var internalPort = FreePort.Next();
        var variables = new Dictionary<string, string?>
        {
            ["CONDUCTOR_ROLE"] = role,
            ["CLUSTER_REF"] = role == "management" ? "mgmt" : "tenant-a",
            ["INTERNAL_PORT"] = internalPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SILO_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }
        var program = RunningProgram.Start("conductor", [], variables);
        var agent = new StartedAgent(program, internalPort);
        try
        {
            await agent.WaitReadyAsync(cancellationToken);
            return agent;
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadyTimeout);
        while (true)
        {
            if (Program.HasExited)
            {
                throw new InvalidOperationException($"the agent exited before it was ready\n{Program}");
            }
            try
            {
                using var response = await Http.GetAsync(new Uri("/readyz", UriKind.Relative), deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the agent was not ready within {ReadyTimeout}\n{Program}");
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the agent was not ready within {ReadyTimeout}\n{Program}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Program.DisposeAsync();
    }
}
