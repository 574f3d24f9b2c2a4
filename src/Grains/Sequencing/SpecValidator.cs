using Conductor.Resources.Seam;
using Conductor.Runner.Capabilities;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// Checks a RunnerConfig's steps before any Job exists and reports every problem at once, each naming the step, the
/// field and the rule: duplicate names, capabilities that are unknown or compile-only, dependencies on unknown steps,
/// dependency cycles, and parameters the capability's schema refuses.
/// </summary>
public static class SpecValidator
{
    public static IReadOnlyList<string> Validate(RunnerConfigSpec spec)
    {
        var steps = spec.Steps ?? [];
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (step, index) in steps.Select((s, i) => (s, i)))
        {
            if (!names.Add(step.Name))
            {
                errors.Add($"spec.steps[{index}].name '{step.Name}' is used by an earlier step; step names must be unique");
            }
            CheckCapability(step, index, errors);
        }
        foreach (var (step, index) in steps.Select((s, i) => (s, i)))
        {
            foreach (var dependency in step.DependsOn ?? [])
            {
                if (!names.Contains(dependency))
                {
                    errors.Add($"spec.steps[{index}] '{step.Name}' dependsOn '{dependency}', which is not a step of this RunnerConfig");
                }
            }
        }
        if (FindCycle(steps) is { } cycle)
        {
            errors.Add($"spec.steps form a dependency cycle: {string.Join(" -> ", cycle)}; remove one of these dependsOn entries");
        }
        return errors;
    }

    private static void CheckCapability(RunnerStep step, int index, List<string> errors)
    {
        var descriptor = CapabilityCatalog.Find(step.Capability);
        if (descriptor is null)
        {
            errors.Add($"spec.steps[{index}] '{step.Name}' capability '{step.Capability}' is not in the catalog; known capabilities: {string.Join(", ", CapabilityCatalog.ExecutableNames)}");
            return;
        }
        if (!descriptor.IsExecutable)
        {
            errors.Add($"spec.steps[{index}] '{step.Name}' capability '{step.Capability}' is compile-only; it runs in the compiler, never as a step");
            return;
        }
        foreach (var problem in descriptor.Parameters.Validate(StepParameters.ToJson(step)))
        {
            errors.Add($"spec.steps[{index}] '{step.Name}' ({step.Capability}): {problem}");
        }
    }

    /// <summary>A dependency cycle as step names (first name repeated at the end), or null when there is none.</summary>
    private static List<string>? FindCycle(IReadOnlyList<RunnerStep> steps)
    {
        var dependsOn = steps.GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().DependsOn ?? [], StringComparer.Ordinal);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        var path = new List<string>();

        List<string>? Visit(string name)
        {
            if (state.TryGetValue(name, out var done))
            {
                return done ? null : [.. path.Skip(path.IndexOf(name)), name];
            }
            state[name] = false;
            path.Add(name);
            foreach (var dependency in dependsOn.GetValueOrDefault(name) ?? [])
            {
                if (dependsOn.ContainsKey(dependency) && Visit(dependency) is { } cycle)
                {
                    return cycle;
                }
            }
            path.RemoveAt(path.Count - 1);
            state[name] = true;
            return null;
        }

        foreach (var step in steps)
        {
            if (Visit(step.Name) is { } cycle)
            {
                return cycle;
            }
        }
        return null;
    }
}
