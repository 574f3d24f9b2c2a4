using Conductor.Executor.Capabilities;
using Conductor.Runner.Results;

namespace Conductor.Executor.Runs;

/// <summary>
/// The steps of one run in the order they ran, each with its times and a message. A step that throws is recorded as
/// Failed and the exception travels on; <see cref="Failed"/> then turns it into the outcome, keeping the steps so far.
/// </summary>
public sealed class StepLog(TimeProvider time)
{
    private readonly List<OperationStep> _steps = [];

    public IReadOnlyList<OperationStep> Steps => _steps;

    /// <summary>Runs one step; its result's message is recorded with it.</summary>
    public async Task<T> RunAsync<T>(string name, Func<Task<(T Value, string Message)>> step)
    {
        var startedAt = time.GetUtcNow();
        try
        {
            var (value, message) = await step();
            _steps.Add(new OperationStep { Name = name, Status = OperationStepStatus.Succeeded, StartedAt = startedAt, CompletedAt = time.GetUtcNow(), Message = message });
            return value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _steps.Add(new OperationStep { Name = name, Status = OperationStepStatus.Failed, StartedAt = startedAt, CompletedAt = time.GetUtcNow(), Message = e.Message });
            throw;
        }
    }

    /// <summary>Runs one step that returns nothing but its message.</summary>
    public Task RunAsync(string name, Func<Task<string>> step) =>
        RunAsync<bool>(name, async () => (true, await step()));

    /// <summary>
    /// Runs a capability over this log to its outcome: a <see cref="CapabilityFailureException"/>, or a cluster API call
    /// that could not be made or timed out (not the run's own cancellation), becomes the failed outcome with the steps that ran.
    /// </summary>
    public async Task<CapabilityOutcome> OutcomeAsync(Func<Task<CapabilityOutcome>> run, CancellationToken cancellationToken)
    {
        try
        {
            return await run();
        }
        catch (CapabilityFailureException e)
        {
            return Failed(e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Failed(new CapabilityFailureException(FailureCategory.ExecutionFailure, $"a cluster API call failed: {e.Message}", e));
        }
    }

    /// <summary>
    /// The failed outcome for <paramref name="failure"/>, with the steps recorded so far; its phase is the step that
    /// failed first (steps that ran after it to record its consequences, such as the inventory, do not move it, even when they fail too).
    /// </summary>
    public CapabilityOutcome Failed(CapabilityFailureException failure) => new()
    {
        Phase = _steps.FirstOrDefault(s => s.Status == OperationStepStatus.Failed)?.Name ?? (_steps.Count == 0 ? "" : _steps[^1].Name),
        Status = OperationStatus.Failed,
        Steps = [.. _steps],
        FailureReason = new FailureReason { Category = failure.Category, Detail = failure.Message },
    };
}
