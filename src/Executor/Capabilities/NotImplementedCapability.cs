using Conductor.Runner.Results;

namespace Conductor.Executor.Capabilities;

/// <summary>
/// A catalog capability whose handler is not in this image yet. It never pretends: every run records a
/// CapabilityUnavailable failure that says what is missing, and the agent does not declare it (the catalog marks it
/// unavailable).
/// </summary>
public sealed class NotImplementedCapability(string name, string missing) : ICapability
{
    public string Name { get; } = name;

    public bool Implemented => false;

    /// <summary>What this image lacks to run it.</summary>
    public string Missing { get; } = missing;

    public Task<CapabilityOutcome> RunAsync(CapabilityContext context, CancellationToken cancellationToken) =>
        Task.FromResult(CapabilityOutcome.Failed(
            FailureCategory.CapabilityUnavailable,
            $"capability {Name} is not implemented in this image: {Missing}. Use an image whose agent declares {Name} in its capability manifest."));
}
