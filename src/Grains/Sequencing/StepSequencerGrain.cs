using Conductor.Observability;
using Conductor.Resources.Seam;
using Conductor.Sequencing;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// One RunnerConfig's step sequence. Kubernetes holds the truth: a pass plans from the RunnerConfig and the in-flight
/// step's Job and result ConfigMap (<see cref="StepPlanner"/>), so a pass after a silo restart continues exactly where
/// the last one stopped. To keep a step at three round trips (result ConfigMap GET, one status write, next Job
/// create), the grain remembers the RunnerConfig as it last read or wrote it and takes the Job from the watch cache; a
/// remembered copy that someone else has since changed fails its resourceVersion-guarded write with 409, and the pass
/// reads the RunnerConfig again.
/// </summary>
public sealed partial class StepSequencerGrain(
    IKubernetes client, IStepJobCache jobCache, ConductorMetrics metrics, IOptions<SequencerOptions> options, TimeProvider time,
    ILogger<StepSequencerGrain> logger) : Grain, IStepSequencerGrain
{
    private const int MaxConflictRetries = 5;
    private static readonly TimeSpan PassTimeout = TimeSpan.FromSeconds(25);
    private readonly StatusWriter _status = new(client);
    private readonly ResultHarvester _harvester = new(client, jobCache);
    private readonly StepJobs _jobs = new(client);
    private readonly SequencerOptions _options = options.Value;
    private RunnerConfig? _config;
    private string? _seenJob;

    /// <summary>The RunnerConfig itself changed (or the periodic resync): read it afresh.</summary>
    public Task ReconcileAsync() => PassAsync("RunnerConfig", fresh: true);

    public Task OnJobChangedAsync(string jobName) => PassAsync($"Job {jobName}", fresh: false);

    public async Task StopAsync()
    {
        var (@namespace, name) = Key();
        _config = null;
        using var timeout = new CancellationTokenSource(PassTimeout, time);
        await StopJobsAsync(@namespace, name, timeout.Token);
        DeactivateOnIdle();
    }

    private async Task PassAsync(string trigger, bool fresh)
    {
        var (@namespace, name) = Key();
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Kind"] = RunnerConfig.KindName, ["Namespace"] = @namespace, ["Name"] = name });
        using var timeout = new CancellationTokenSource(PassTimeout, time);
        for (var attempt = 1; attempt <= MaxConflictRetries; attempt++)
        {
            var remembered = !fresh && _config is not null;
            var config = remembered ? _config : await _status.ReadAsync(@namespace, name, timeout.Token);
            _config = config;
            if (config is null)
            {
                await StopJobsAsync(@namespace, name, timeout.Token);
                return;
            }
            switch (await ReconcileOnceAsync(config, remembered, timeout.Token))
            {
                case PassOutcome.Done:
                    return;
                case PassOutcome.Conflict:
                    LogConflict(logger, @namespace, name, trigger, attempt);
                    break;
            }
            _config = null;
            fresh = true;
        }
    }

    /// <summary>
    /// One pass. The order matters: the spec is validated before anything else so an invalid one never gets a Job; the
    /// in-flight step is observed before planning; the status (the harvested StepResult together with the next step
    /// recorded Pending with its Job's name) is written before that Job is created, so a restart always finds the name.
    /// </summary>
    private async Task<PassOutcome> ReconcileOnceAsync(RunnerConfig config, bool remembered, CancellationToken cancellationToken)
    {
        var (@namespace, name) = (config.Metadata.NamespaceProperty, config.Metadata.Name);
        if ((config.Spec.Steps?.Count ?? 0) == 0 || StepPlanner.IsSettled(config.Status, config.Metadata.Generation))
        {
            return PassOutcome.Done;
        }
        var errors = SpecValidator.Validate(config.Spec);
        if (errors.Count > 0)
        {
            LogInvalid(logger, @namespace, name, string.Join("; ", errors));
            return await WriteAsync(config, StepPlanner.Invalid(config.Status, errors, config.Metadata.Generation, time.GetUtcNow()), cancellationToken) is null
                ? PassOutcome.Conflict
                : PassOutcome.Done;
        }

        var inFlight = StepPlanner.InFlight(config.Status);
        var observed = inFlight is null ? null : await ObserveAsync(inFlight.StepName, JobNameOf(config, inFlight), cancellationToken);
        var plan = StepPlanner.Plan(config, observed, step => $"{_options.Namespace}/{JobName(config, step)}", time.GetUtcNow());
        if (remembered && observed is { Job: JobState.Absent } && plan.Create?.Name == observed.StepName)
        {
            // Creating the recorded step's Job again is decided from a fresh read only, never from a remembered copy.
            return PassOutcome.Stale;
        }
        var written = await WriteAsync(config, plan.Status, cancellationToken);
        if (written is null)
        {
            return PassOutcome.Conflict;
        }
        if (plan.Create is { } step)
        {
            var job = JobFactory.Build(written, step, JobName(config, step.Name), StepPlanner.Attempt, _options);
            LogCreating(logger, _options.Namespace, job.Metadata.Name, step.Name, step.Capability, @namespace, name);
            if (!await _jobs.CreateAsync(job, cancellationToken))
            {
                LogAlreadyExists(logger, _options.Namespace, job.Metadata.Name);
            }
        }
        return PassOutcome.Done;
    }

    /// <summary>Writes the status when it changed; remembers what was written and counts the steps it finishes.</summary>
    private async Task<RunnerConfig?> WriteAsync(RunnerConfig config, RunnerConfigStatus status, CancellationToken cancellationToken)
    {
        var written = await _status.WriteAsync(config, status, cancellationToken);
        if (written is null || written == config)
        {
            return written;
        }
        _config = written;
        FinishedSteps.Record(metrics, config.Status, status);
        LogRecorded(logger, config.Metadata.NamespaceProperty, config.Metadata.Name, status.Phase?.ToString() ?? "",
            string.Join(", ", (status.StepResults ?? []).Select(r => $"{r.StepName}={r.Phase}")));
        return written;
    }

    /// <summary>The in-flight Job's state; absent after this activation saw it exist means it is gone, not yet to be created.</summary>
    private async Task<StepObservation> ObserveAsync(string step, string jobName, CancellationToken cancellationToken)
    {
        var observed = await _harvester.ObserveAsync(step, _options.Namespace, jobName, cancellationToken);
        if (observed.Job != JobState.Absent)
        {
            _seenJob = jobName;
            return observed;
        }
        return _seenJob == jobName ? observed with { Job = JobState.Gone } : observed;
    }

    private async Task StopJobsAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var deleted = await _jobs.DeleteUnfinishedAsync(_options.Namespace, @namespace, name, cancellationToken);
        if (deleted.Count > 0)
        {
            LogStopped(logger, @namespace, name, string.Join(", ", deleted));
        }
    }

    private static string JobName(RunnerConfig config, string step) =>
        JobNames.For(config.Metadata.NamespaceProperty, config.Metadata.Name, config.Metadata.Uid ?? "", step, StepPlanner.Attempt);

    /// <summary>The in-flight step's Job, as recorded in its outputRef (<c>namespace/job</c>).</summary>
    private static string JobNameOf(RunnerConfig config, StepResult inFlight) =>
        inFlight.OutputRef?.Split('/') is [_, { Length: > 0 } job] ? job : JobName(config, inFlight.StepName);

    private (string Namespace, string Name) Key()
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? (key[..slash], key[(slash + 1)..])
            : throw new InvalidOperationException($"StepSequencerGrain key '{key}' must be namespace/name of a RunnerConfig");
    }

    private enum PassOutcome
    {
        Done,
        /// <summary>The status write met 409: read again and plan again.</summary>
        Conflict,
        /// <summary>The pass needs a fresh read before it may act.</summary>
        Stale,
    }
}
