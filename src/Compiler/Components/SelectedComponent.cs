using Conductor.Components;

namespace Conductor.Compiler.Components;

/// <summary>A component to write RBAC for, and the namespace it runs in (its service accounts live there).</summary>
public sealed record SelectedComponent(ComponentDefinition Definition, string InstallNamespace);
