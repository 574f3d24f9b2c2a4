using Conductor.Runner.Results;

namespace Conductor.Executor.Runs;

/// <summary>
/// A handler's failure with its category, raised deep inside a run and turned into the recorded result by the
/// handler (with the steps that ran so far). The message names the resource or peer and the rule that failed.
/// </summary>
public sealed class CapabilityFailureException(FailureCategory category, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureCategory Category { get; } = category;
}
