namespace Conductor.Silo.Sweep;

/// <summary>
/// One pass of the TenantBootstrapSweep (seed §15): its steps, in order. Every pass starts from what the cluster
/// holds now, so running it again changes nothing that is already right.
/// </summary>
public sealed partial class TenantBootstrapSweep(
    StampRbacOwnershipStep stamp, GuardianApiStep guardianApi, ComponentProfilesStep profiles, EnforcementStep enforcement,
    ILogger<TenantBootstrapSweep> logger)
{
    // Order matters: existing RBAC is adopted before anything else; discovery decides whether profiles can be written;
    // enforcement comes last because it may only turn strict after a complete, error-free pass.
    private readonly IReadOnlyList<ISweepStep> _steps = [stamp, guardianApi, profiles, enforcement];

    public async Task<SweepContext> RunOnceAsync(CancellationToken cancellationToken)
    {
        var context = new SweepContext();
        LogStarting(logger);
        foreach (var step in _steps)
        {
            if (await step.RunAsync(context, cancellationToken) == SweepStepResult.Stop)
            {
                break;
            }
        }
        LogCompleted(logger, context.Stamped, context.Created, string.Join(",", context.ComponentsPresent), context.GuardianServed, context.Flipped,
            context.Errors.Count);
        foreach (var error in context.Errors)
        {
            LogError(logger, error);
        }
        return context;
    }

    [LoggerMessage(1, LogLevel.Information, "Starting TenantBootstrapSweep")]
    private static partial void LogStarting(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "TenantBootstrapSweep done: stamped {Stamped}, created {Created}, components [{Components}], guardian served {GuardianServed}, switched to strict {Flipped}, errors {Errors}")]
    private static partial void LogCompleted(ILogger logger, int stamped, int created, string components, bool guardianServed, bool flipped, int errors);

    [LoggerMessage(3, LogLevel.Warning, "TenantBootstrapSweep could not write {Reason}; check that the agent may patch it")]
    private static partial void LogError(ILogger logger, string reason);
}
