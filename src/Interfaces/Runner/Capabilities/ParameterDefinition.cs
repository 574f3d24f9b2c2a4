namespace Conductor.Runner.Capabilities;

/// <summary>One parameter a capability reads from its RunnerConfig step (delivered as STEP_PARAMETERS JSON).</summary>
/// <param name="Name">The JSON property name in the step's parameters, camelCase.</param>
/// <param name="Type">The JSON type the value must have.</param>
/// <param name="Required">Whether a step must set it; an optional parameter's default is stated in <paramref name="Description"/>.</param>
/// <param name="Description">What the capability does with it, and its default when optional.</param>
/// <param name="Enum">For <see cref="ParameterType.String"/> only: the values allowed, or null for any.</param>
public sealed record ParameterDefinition(
    string Name,
    ParameterType Type,
    bool Required,
    string Description,
    IReadOnlyList<string>? Enum = null);
