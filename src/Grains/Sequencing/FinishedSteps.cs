using Conductor.Observability;
using Conductor.Resources.Seam;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// The steps one status write finishes: terminal in the written status and not in the status it replaced. Counted at
/// the write, which is guarded by resourceVersion, so a step is counted once however many passes or silos saw it.
/// </summary>
public static class FinishedSteps
{
    public static IReadOnlyList<StepResult> Between(RunnerConfigStatus? before, RunnerConfigStatus after)
    {
        var earlier = (before?.StepResults ?? []).Where(r => IsTerminal(r.Phase)).Select(r => r.StepName).ToHashSet(StringComparer.Ordinal);
        return [.. (after.StepResults ?? []).Where(r => IsTerminal(r.Phase) && !earlier.Contains(r.StepName))];
    }

    /// <summary>Records each newly finished step into <c>conductor.sequencer.steps</c> by outcome.</summary>
    public static void Record(ConductorMetrics metrics, RunnerConfigStatus? before, RunnerConfigStatus after)
    {
        foreach (var step in Between(before, after))
        {
            metrics.SequencerStepFinished(OutcomeOf(step.Phase));
        }
    }

    private static bool IsTerminal(StepPhase phase) => phase is StepPhase.Succeeded or StepPhase.Failed or StepPhase.Skipped;

    private static string OutcomeOf(StepPhase phase) => phase switch
    {
        StepPhase.Succeeded => StepOutcomes.Succeeded,
        StepPhase.Failed => StepOutcomes.Failed,
        _ => StepOutcomes.Skipped,
    };
}
