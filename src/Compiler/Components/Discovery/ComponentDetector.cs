using Conductor.Components;

namespace Conductor.Compiler.Components.Discovery;

/// <summary>
/// Matches observed workloads against catalog entries. A component is deployed in a namespace when at least one of its
/// workloads is there; the others are reported missing (a partial or customised install).
/// </summary>
public static class ComponentDetector
{
    public static IReadOnlyList<DetectedComponent> Detect(IEnumerable<ComponentDefinition> catalog, IReadOnlyList<ObservedWorkload> observed)
    {
        var detected = new List<DetectedComponent>();
        foreach (var component in catalog)
        {
            var matches = observed
                .Select(workload => (Workload: workload, Entry: component.Workloads.FirstOrDefault(entry => Matches(entry, workload))))
                .Where(match => match.Entry is not null)
                .GroupBy(match => match.Workload.Namespace, StringComparer.Ordinal)
                .OrderBy(group => group.Key, StringComparer.Ordinal);
            foreach (var inNamespace in matches)
            {
                var found = inNamespace.Select(match => match.Workload)
                    .OrderBy(workload => workload.Kind).ThenBy(workload => workload.Name, StringComparer.Ordinal).ToList();
                var seen = inNamespace.Select(match => match.Entry!).ToHashSet();
                detected.Add(new DetectedComponent(component, inNamespace.Key, found, [.. component.Workloads.Where(entry => !seen.Contains(entry))]));
            }
        }
        return detected;
    }

    public static bool Matches(ComponentWorkload entry, ObservedWorkload workload) =>
        entry.Kind == workload.Kind
        && entry.Selectors.Any(selector => Contains(workload.Labels, selector) || Contains(workload.PodLabels, selector));

    private static bool Contains(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> selector) =>
        selector.All(label => labels.TryGetValue(label.Key, out var value) && value == label.Value);
}
