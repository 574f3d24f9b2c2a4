namespace Conductor.Executor.Capabilities;

/// <summary>
/// One capability's handler. A handler reports failure as a failed <see cref="CapabilityOutcome"/> with a category;
/// an exception escaping it is recorded as an ExecutionFailure, never lost.
/// </summary>
public interface ICapability
{
    /// <summary>The catalog name it implements.</summary>
    string Name { get; }

    /// <summary>False for a registered name whose handler is not in this image yet.</summary>
    bool Implemented { get; }

    Task<CapabilityOutcome> RunAsync(CapabilityContext context, CancellationToken cancellationToken);
}
