using System.Text.Json;
using Conductor.Resources.Seam;
using Conductor.Runner;
using k8s.Models;

namespace Conductor.Grains.Sequencing;

/// <summary>The status to write and, when a step is to start, the step whose Job to create (after the status is written).</summary>
public sealed record SequencePlan(RunnerConfigStatus Status, RunnerStep? Create);

/// <summary>
/// The sequencing rules, as a pure function of the spec, the recorded status and the in-flight step's observation.
/// Exactly one step is in flight at a time, recorded Pending from the moment its Job is intended until it is harvested:
/// the sequencer writes no Pending→Running transition, because that write cost a round trip per step and nothing reads
/// it (a Running recorded by an earlier version is still honoured). A step starts when every dependency Succeeded, first in declared order. A step whose dependency Failed or
/// was Skipped is Skipped; after a haltOnFailure step fails, every step not yet finished is Skipped. The run ends
/// Completed when every step Succeeded and Failed otherwise, naming the halting step, else the first failed one. The
/// result document is recorded as is; only its <c>status</c> decides the step's phase.
/// </summary>
public static class StepPlanner
{
    /// <summary>The sequencer submits one attempt per step; failures are permanent (backoffLimit 0).</summary>
    public const int Attempt = 1;

    private const string ResultStatusProperty = "status";

    /// <summary>True when the run has ended and this generation of the spec needs nothing more.</summary>
    public static bool IsSettled(RunnerConfigStatus? status, long? generation) =>
        status?.Phase is RunnerConfigPhase.Completed or RunnerConfigPhase.Failed && !IsStaleSpecFailure(status, generation);

    /// <summary>The step whose Job is intended or running, if any.</summary>
    public static StepResult? InFlight(RunnerConfigStatus? status) =>
        status?.StepResults?.FirstOrDefault(r => r.Phase is StepPhase.Pending or StepPhase.Running);

    /// <summary>A spec that failed validation: Failed before any Job, the message listing every problem.</summary>
    public static RunnerConfigStatus Invalid(RunnerConfigStatus? status, IReadOnlyList<string> errors, long? generation, DateTimeOffset now) =>
        (status ?? new RunnerConfigStatus()) with
        {
            Phase = RunnerConfigPhase.Failed,
            FailedStep = null,
            Conditions = Upsert(status?.Conditions, ConditionTypes.Failed, ConditionReasons.SpecInvalid,
                $"The RunnerConfig spec is invalid, no step was run: {string.Join("; ", errors)}", generation, now),
        };

    public static SequencePlan Plan(RunnerConfig config, StepObservation? observed, Func<string, string> outputRefFor, DateTimeOffset now)
    {
        var steps = config.Spec.Steps ?? [];
        var status = IsStaleSpecFailure(config.Status, config.Metadata.Generation) ? Fresh(config.Status!) : config.Status ?? new RunnerConfigStatus();
        var results = (status.StepResults ?? []).ToDictionary(r => r.StepName, StringComparer.Ordinal);
        RunnerStep? create = null;

        if (observed is not null && results.TryGetValue(observed.StepName, out var inFlight))
        {
            results[inFlight.StepName] = Observe(inFlight, observed);
            if (observed.Job == JobState.Absent && observed.Result is null && inFlight.Phase == StepPhase.Pending)
            {
                create = steps.FirstOrDefault(s => s.Name == inFlight.StepName);
            }
        }

        if (create is null && !results.Values.Any(r => r.Phase is StepPhase.Pending or StepPhase.Running))
        {
            SkipUnreachable(steps, results);
            create = steps.FirstOrDefault(s => !results.ContainsKey(s.Name)
                && (s.DependsOn ?? []).All(d => results.GetValueOrDefault(d)?.Phase == StepPhase.Succeeded));
            if (create is not null)
            {
                results[create.Name] = new StepResult { StepName = create.Name, Phase = StepPhase.Pending, OutputRef = outputRefFor(create.Name) };
            }
        }

        var ordered = steps.Where(s => results.ContainsKey(s.Name)).Select(s => results[s.Name]).ToList();
        var next = status with { StepResults = ordered };
        return new SequencePlan(ordered.Count == steps.Count && ordered.All(IsTerminal) ? Finish(config, next, now) : next with { Phase = RunnerConfigPhase.Running }, create);
    }

    private static StepResult Observe(StepResult inFlight, StepObservation observed) => (observed.Job, observed.Result) switch
    {
        // Waiting or running: nothing to record (see the class summary).
        (JobState.Suspended or JobState.Active, _) => inFlight,
        // Harvested: the Job finished, or it is gone (TTL) but its result ConfigMap outlived it.
        (JobState.Complete or JobState.Absent or JobState.Gone, { } result) => inFlight with { Phase = ResultPhase(result), Result = result },
        (JobState.Failed, var result) => inFlight with { Phase = StepPhase.Failed, Result = result },
        // Complete without a result means the executor broke its contract; a Job seen to exist that vanished with no
        // result (or a Running step's, from an earlier version) can never report one. All are failures; an absent Job
        // of a Pending step is still to be created.
        (JobState.Complete or JobState.Gone, null) => inFlight with { Phase = StepPhase.Failed },
        (JobState.Absent, null) => inFlight.Phase == StepPhase.Running ? inFlight with { Phase = StepPhase.Failed } : inFlight,
        _ => inFlight,
    };

    private static StepPhase ResultPhase(JsonElement result) =>
        result.ValueKind == JsonValueKind.Object && result.TryGetProperty(ResultStatusProperty, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() == nameof(StepPhase.Succeeded)
            ? StepPhase.Succeeded
            : StepPhase.Failed;

    /// <summary>Marks Skipped every unfinished step that can no longer run, until nothing changes (dependencies may be declared later).</summary>
    private static void SkipUnreachable(IReadOnlyList<RunnerStep> steps, Dictionary<string, StepResult> results)
    {
        var halted = steps.Any(s => s.HaltOnFailure && results.GetValueOrDefault(s.Name)?.Phase == StepPhase.Failed);
        bool changed;
        do
        {
            changed = false;
            foreach (var step in steps.Where(s => !results.ContainsKey(s.Name)))
            {
                if (halted || (step.DependsOn ?? []).Any(d => results.GetValueOrDefault(d)?.Phase is StepPhase.Failed or StepPhase.Skipped))
                {
                    results[step.Name] = new StepResult { StepName = step.Name, Phase = StepPhase.Skipped };
                    changed = true;
                }
            }
        }
        while (changed);
    }

    private static RunnerConfigStatus Finish(RunnerConfig config, RunnerConfigStatus status, DateTimeOffset now)
    {
        var steps = config.Spec.Steps ?? [];
        var results = status.StepResults ?? [];
        if (results.All(r => r.Phase == StepPhase.Succeeded))
        {
            return status with
            {
                Phase = RunnerConfigPhase.Completed,
                FailedStep = null,
                Conditions = Upsert(status.Conditions, ConditionTypes.Completed, ConditionReasons.StepsCompleted,
                    $"All {steps.Count} steps succeeded.", config.Metadata.Generation, now),
            };
        }
        var failed = steps.FirstOrDefault(s => s.HaltOnFailure && results.Any(r => r.StepName == s.Name && r.Phase == StepPhase.Failed))?.Name
            ?? results.First(r => r.Phase == StepPhase.Failed).StepName;
        var skipped = results.Where(r => r.Phase == StepPhase.Skipped).Select(r => r.StepName).ToList();
        return status with
        {
            Phase = RunnerConfigPhase.Failed,
            FailedStep = failed,
            Conditions = Upsert(status.Conditions, ConditionTypes.Failed, ConditionReasons.StepFailed,
                $"Step {failed} failed" + (skipped.Count > 0 ? $"; skipped: {string.Join(", ", skipped)}." : "."), config.Metadata.Generation, now),
        };
    }

    private static bool IsTerminal(StepResult result) => result.Phase is StepPhase.Succeeded or StepPhase.Failed or StepPhase.Skipped;

    /// <summary>A spec-validation failure recorded for an earlier generation: the spec has been edited since, so it runs afresh.</summary>
    private static bool IsStaleSpecFailure(RunnerConfigStatus? status, long? generation) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Failed) is { Reason: ConditionReasons.SpecInvalid } failure
        && failure.ObservedGeneration != generation;

    private static RunnerConfigStatus Fresh(RunnerConfigStatus status) => status with
    {
        Phase = null,
        FailedStep = null,
        StepResults = null,
        Conditions = [.. (status.Conditions ?? []).Where(c => c.Type is not (ConditionTypes.Failed or ConditionTypes.Completed))],
    };

    private static List<V1Condition> Upsert(IReadOnlyList<V1Condition>? conditions, string type, string reason, string message, long? generation, DateTimeOffset now)
    {
        var kept = (conditions ?? []).Where(c => c.Type != type).ToList();
        kept.Add(new V1Condition
        {
            Type = type,
            Status = "True",
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = now.UtcDateTime,
        });
        return kept;
    }
}
