using Conductor.Runner.Results;

namespace Conductor.Executor.Capabilities;

/// <summary>
/// What a handler reports; the run stamps the capability name and the start and completion times onto it to make the
/// OperationResult.
/// </summary>
public sealed record CapabilityOutcome
{
    public required string Phase { get; init; }
    public required OperationStatus Status { get; init; }
    public IReadOnlyList<ArtifactReference> Artifacts { get; init; } = [];
    public IReadOnlyList<OperationStep> Steps { get; init; } = [];
    public FailureReason? FailureReason { get; init; }

    public static CapabilityOutcome Failed(FailureCategory category, string detail, string phase = "") => new()
    {
        Phase = phase,
        Status = OperationStatus.Failed,
        FailureReason = new FailureReason { Category = category, Detail = detail },
    };
}
