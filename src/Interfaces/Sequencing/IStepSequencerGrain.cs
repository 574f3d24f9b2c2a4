namespace Conductor.Sequencing;

/// <summary>
/// Runs the steps of one RunnerConfig as Kueue Jobs, one at a time in declared order, and records each step's result
/// in the RunnerConfig's status. Keyed <c>namespace/name</c> of the RunnerConfig (DESIGN §4). Progress lives only in
/// Kubernetes (the RunnerConfig's status and the step's Job): the grain keeps the copy it last read or wrote to save
/// round trips, every write is resourceVersion-guarded (a conflict re-reads and re-plans), and it reads afresh before
/// it would create a Job, so calls are idempotent and a restarted silo carries on where the last one stopped, never
/// submitting a Job twice for the same step attempt.
/// </summary>
public interface IStepSequencerGrain : IGrainWithStringKey
{
    /// <summary>The RunnerConfig was added or changed: validate it, harvest, advance or finish.</summary>
    Task ReconcileAsync();

    /// <summary>A Job of this RunnerConfig was added, changed or deleted; <paramref name="jobName"/> is logged.</summary>
    Task OnJobChangedAsync(string jobName);

    /// <summary>The RunnerConfig was deleted: delete its unfinished Job and submit nothing more.</summary>
    Task StopAsync();
}
