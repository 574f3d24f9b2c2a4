namespace Conductor.Runner.Capabilities;

/// <summary>Which program may run a capability.</summary>
public enum CapabilityMode
{
    /// <summary>Run by conductor-execute as a Kueue Job on the management cluster.</summary>
    Execute,

    /// <summary>Run by the compiler on a workstation; never executable, never declared by the agent.</summary>
    Compile,
}
