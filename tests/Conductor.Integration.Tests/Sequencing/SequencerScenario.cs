using Conductor.Executor.Execution;
using Conductor.Executor.JobEnvironment;
using Conductor.Executor.Results;
using Conductor.Grains.Sequencing;
using Conductor.Resources.Seam;
using Conductor.Runner;
using Conductor.Runner.Results;
using Conductor.TestSupport.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.TestingHost;

namespace Conductor.Integration.Tests.Sequencing;

/// <summary>
/// One test class's world: its own namespace on the real kube-apiserver and a sequencer silo watching it. The test
/// plays the pod of each Job, since the server has no kubelet: it records the result (running the real
/// conductor-execute, or writing a succeeded result the way it does) and then sets the Job's status.
/// </summary>
public sealed class SequencerScenario(KubeFixture kube) : IAsyncLifetime
{
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(60);
    private static readonly KubeApi Api = KubeApi.Of<RunnerConfig>();
    private readonly TestNamespace _namespace = new(kube);

    public string Namespace => _namespace.Name;

    public IKubernetes Client => kube.Client;

    public TestCluster? Silo { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await _namespace.InitializeAsync();
        Silo = await SequencerSilo.StartAsync(Namespace);
    }

    public async ValueTask DisposeAsync()
    {
        await StopSiloAsync();
        await _namespace.DisposeAsync();
    }

    public async Task StopSiloAsync()
    {
        if (Silo is { } silo)
        {
            Silo = null;
            await silo.StopAllSilosAsync();
            await silo.DisposeAsync();
        }
    }

    public async Task RestartSiloAsync()
    {
        await StopSiloAsync();
        Silo = await SequencerSilo.StartAsync(Namespace);
    }

    public static RunnerStep Step(string name, string capability = "etcd-defrag", bool halt = false, params string[] dependsOn) => new()
    {
        Name = name,
        Capability = capability,
        HaltOnFailure = halt,
        DependsOn = dependsOn.Length == 0 ? null : dependsOn,
    };

    public async Task<RunnerConfig> CreateAsync(string name, RunnerStep[] steps, Func<RunnerConfigSpec, RunnerConfigSpec>? edit = null)
    {
        var spec = new RunnerConfigSpec { ClusterRef = "ccs-dev", AgentImage = "registry.local/conductor-exec:v1.9.3", Steps = steps };
        var config = new RunnerConfig
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = edit?.Invoke(spec) ?? spec,
        };
        return await Api.GenericClient(Client).CreateNamespacedAsync(config, Namespace, TestContext.Current.CancellationToken);
    }

    public async Task DeleteAsync(string name) =>
        await Api.GenericClient(Client).DeleteNamespacedAsync<V1Status>(Namespace, name, TestContext.Current.CancellationToken);

    public Task<RunnerConfig> ReadAsync(string name) =>
        Api.GenericClient(Client).ReadNamespacedAsync<RunnerConfig>(Namespace, name, TestContext.Current.CancellationToken);

    /// <summary>The Jobs of one RunnerConfig, by its labels.</summary>
    public async Task<IReadOnlyList<V1Job>> JobsAsync(string name)
    {
        var jobs = await Client.BatchV1.ListNamespacedJobAsync(Namespace, labelSelector: JobFactory.Selector(Namespace, name),
            cancellationToken: TestContext.Current.CancellationToken);
        return [.. jobs.Items];
    }

    /// <summary>Waits (capped) for the Job of <paramref name="step"/>.</summary>
    public Task<V1Job> WaitForJobAsync(string name, string step) =>
        WaitAsync(async () => (await JobsAsync(name)).SingleOrDefault(j => j.Metadata.Labels[JobProtocol.StepLabel] == step), $"the Job of step {step}");

    /// <summary>Waits (capped) until the RunnerConfig's status satisfies <paramref name="done"/>.</summary>
    public Task<RunnerConfig> WaitForStatusAsync(string name, Func<RunnerConfigStatus, bool> done, string what) =>
        WaitAsync(async () => await ReadAsync(name) is { Status: { } status } config && done(status) ? config : null, what);

    public static bool HasResult(RunnerConfigStatus status, string step, StepPhase phase) =>
        status.StepResults?.Any(r => r.StepName == step && r.Phase == phase) == true;

    /// <summary>Plays a pod whose capability succeeded: the result the executor would write, then Job Complete.</summary>
    public async Task SucceedAsync(V1Job job)
    {
        var env = Environment(job);
        var result = new OperationResult
        {
            Capability = env[JobProtocol.CapabilityEnvVar]!,
            Phase = "done",
            Status = OperationStatus.Succeeded,
            StartedAt = DateTimeOffset.UtcNow,
            CompletedAt = DateTimeOffset.UtcNow,
        };
        await new ResultConfigMapWriter(Client).WriteAsync(Namespace, env[JobProtocol.ResultConfigMapEnvVar]!,
            new Dictionary<string, string>(), result, TestContext.Current.CancellationToken);
        await FinishAsync(job, "Complete");
    }

    /// <summary>
    /// Plays the pod with the real conductor-execute run in-process on the Job's environment (its JobRun, the code the
    /// program's Main runs), then sets the Job's status from the exit code. Every capability of this build records a
    /// CapabilityUnavailable failure, so the step fails with a recorded result.
    /// </summary>
    public async Task RunExecutorAsync(V1Job job)
    {
        var env = Environment(job);
        var options = ExecutorOptions.Read(variable => env.GetValueOrDefault(variable));
        var exit = await new JobRun(options, Client, TimeProvider.System, NullLogger<JobRun>.Instance).RunAsync(TestContext.Current.CancellationToken);
        await FinishAsync(job, exit == JobProtocol.ExitCodes.ResultRecorded ? "Complete" : "Failed");
    }

    /// <summary>Sets the Job's terminal condition through <c>/status</c>, as the Job controller would.</summary>
    public async Task FinishAsync(V1Job job, string condition)
    {
        var token = TestContext.Current.CancellationToken;
        var current = await Client.BatchV1.ReadNamespacedJobAsync(job.Metadata.Name, Namespace, cancellationToken: token);
        var now = DateTime.UtcNow;
        current.Status ??= new V1JobStatus();
        current.Status.StartTime ??= now;
        current.Status.Conditions = [new V1JobCondition { Type = condition, Status = "True", LastProbeTime = now, LastTransitionTime = now }];
        if (condition == "Complete")
        {
            current.Status.Succeeded = 1;
            current.Status.CompletionTime = now;
        }
        else
        {
            current.Status.Failed = 1;
        }
        await Client.BatchV1.ReplaceNamespacedJobStatusAsync(current, job.Metadata.Name, Namespace, cancellationToken: token);
    }

    /// <summary>The Job's container environment, with the downward-API namespace filled in as the kubelet would.</summary>
    private Dictionary<string, string?> Environment(V1Job job)
    {
        var env = job.Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name, e => (string?)e.Value);
        env[JobProtocol.PodNamespaceEnvVar] = Namespace;
        return env;
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what)
        where T : class
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = DateTimeOffset.UtcNow + Cap;
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {Cap} waiting for {what}");
            }
            await timer.WaitForNextTickAsync(TestContext.Current.CancellationToken);
        }
    }
}
