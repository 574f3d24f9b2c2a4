using Conductor.Resources.Seam;

namespace Conductor.Silo.Dashboard;

/// <summary>Reduces a RunnerConfig to the progress row the dashboard shows.</summary>
internal static class RunnerConfigProgress
{
    public static DashboardRunnerConfig Of(RunnerConfig config)
    {
        var steps = config.Spec.Steps ?? [];
        var results = (config.Status?.StepResults ?? []).ToDictionary(r => r.StepName, r => r.Phase, StringComparer.Ordinal);
        var done = steps.Count(s => results.TryGetValue(s.Name, out var phase) && phase is StepPhase.Succeeded or StepPhase.Failed or StepPhase.Skipped);
        // The running step if there is one, else the first declared step that has not ended.
        var current = steps.FirstOrDefault(s => results.TryGetValue(s.Name, out var phase) && phase == StepPhase.Running)
            ?? steps.FirstOrDefault(s => !results.TryGetValue(s.Name, out var phase) || phase == StepPhase.Pending);
        var phase = config.Status?.Phase?.ToString() ?? (steps.Count == 0 ? "NoSteps" : "Pending");
        return new DashboardRunnerConfig(
            config.Metadata.NamespaceProperty ?? "", config.Metadata.Name, config.Spec.ClusterRef, phase,
            config.Status?.Phase is RunnerConfigPhase.Completed or RunnerConfigPhase.Failed ? null : current?.Name,
            done, steps.Count, config.Status?.FailedStep);
    }
}
