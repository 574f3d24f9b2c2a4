using Conductor.Components;

namespace Conductor.Compiler.Components.Discovery;

/// <summary>A catalog component found in one namespace: the workloads that showed it, and those of its workloads not seen.</summary>
public sealed record DetectedComponent(
    ComponentDefinition Definition,
    string Namespace,
    IReadOnlyList<ObservedWorkload> Found,
    IReadOnlyList<ComponentWorkload> Missing);
