using Microsoft.Extensions.Logging;

namespace Conductor.Grains.Sequencing;

public sealed partial class StepSequencerGrain
{
    [LoggerMessage(1, LogLevel.Warning, "RunnerConfig {Namespace}/{Name} is invalid; no Job is created until the spec is fixed: {Reason}")]
    private static partial void LogInvalid(ILogger logger, string @namespace, string name, string reason);

    [LoggerMessage(2, LogLevel.Information, "Recorded RunnerConfig {Namespace}/{Name} status {Phase}: {Steps}")]
    private static partial void LogRecorded(ILogger logger, string @namespace, string name, string phase, string steps);

    [LoggerMessage(3, LogLevel.Information, "Creating Job {JobNamespace}/{Job} for step {Step} ({Capability}) of RunnerConfig {Namespace}/{Name}")]
    private static partial void LogCreating(ILogger logger, string jobNamespace, string job, string step, string capability, string @namespace, string name);

    [LoggerMessage(4, LogLevel.Information, "Job {JobNamespace}/{Job} exists already; following it instead of creating another")]
    private static partial void LogAlreadyExists(ILogger logger, string jobNamespace, string job);

    [LoggerMessage(5, LogLevel.Debug, "RunnerConfig {Namespace}/{Name} changed while a pass for {Trigger} wrote its status (conflict {Attempt}); reading it again")]
    private static partial void LogConflict(ILogger logger, string @namespace, string name, string trigger, int attempt);

    [LoggerMessage(6, LogLevel.Information, "RunnerConfig {Namespace}/{Name} is gone; deleted its unfinished Jobs {Jobs}")]
    private static partial void LogStopped(ILogger logger, string @namespace, string name, string jobs);
}
