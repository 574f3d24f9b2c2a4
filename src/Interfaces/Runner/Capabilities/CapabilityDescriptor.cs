using System.Text.Json.Nodes;

namespace Conductor.Runner.Capabilities;

/// <summary>One entry of the capability catalog: the contract a RunnerConfig step names.</summary>
/// <param name="Name">The permanent name (<see cref="CapabilityNames"/>).</param>
/// <param name="Version">Version of this capability's parameter contract; raised when a parameter changes.</param>
/// <param name="Description">What the capability does to the target cluster, in one sentence.</param>
/// <param name="Mode">Which program runs it; only <see cref="CapabilityMode.Execute"/> capabilities are executable.</param>
/// <param name="Needs">What the Job must be able to reach while it runs.</param>
/// <param name="Parameters">The step parameters it accepts.</param>
public sealed record CapabilityDescriptor(
    string Name,
    string Version,
    string Description,
    CapabilityMode Mode,
    CapabilityNeeds Needs,
    ParameterSchema Parameters)
{
    /// <summary>True when conductor-execute runs it; false for compile-only names, which no Job may name.</summary>
    public bool IsExecutable => Mode == CapabilityMode.Execute;

    /// <summary>
    /// True when this build's conductor-execute has a working handler for it. The agent declares only available
    /// capabilities in its manifest, so a RunnerConfig naming one that is still missing is refused up front rather
    /// than failing in a Job; a test keeps this equal to the executor's registry.
    /// </summary>
    public bool Available { get; init; }

    /// <summary>The parameter schema as JSON Schema, as published in the capability manifest.</summary>
    public JsonObject ParameterJsonSchema() => Parameters.ToJsonSchema();
}
