using Conductor.Executor.Capabilities;
using Conductor.Executor.JobEnvironment;
using Conductor.Executor.Results;
using Conductor.Runner;
using Conductor.Runner.Capabilities;
using Conductor.Runner.Results;
using k8s;
using Microsoft.Extensions.Logging;

namespace Conductor.Executor.Execution;

/// <summary>
/// One Job's work: decide what to run, run it, record the result. The order matters: the capability is resolved
/// before anything else so an unknown name is recorded as CapabilityUnavailable without touching any target; then
/// the environment and parameters are checked (ValidationFailure); only then does a handler run.
/// </summary>
public sealed partial class JobRun(ExecutorOptions options, IKubernetes management, TimeProvider time, ILogger<JobRun> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        LogStarting(logger, options.Capability, options.ClusterRef, options.StepName);
        var outcome = await DecideAndRunAsync(cancellationToken);
        var result = new OperationResult
        {
            Capability = options.Capability,
            Phase = outcome.Phase,
            Status = outcome.Status,
            StartedAt = startedAt,
            CompletedAt = time.GetUtcNow(),
            Artifacts = outcome.Artifacts,
            FailureReason = outcome.FailureReason,
            Steps = outcome.Steps,
        };
        LogRecording(logger, options.Namespace, options.ResultConfigMap, result.Status.ToString(), outcome.FailureReason?.Category.ToString() ?? "");
        try
        {
            await new ResultConfigMapWriter(management).WriteAsync(options.Namespace, options.ResultConfigMap, Labels(), result, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRecordFailed(logger, options.Namespace, options.ResultConfigMap, e.Message, e);
            return JobProtocol.ExitCodes.NoResultRecorded;
        }
        return JobProtocol.ExitCodes.ResultRecorded;
    }

    private async Task<CapabilityOutcome> DecideAndRunAsync(CancellationToken cancellationToken)
    {
        var descriptor = CapabilityCatalog.Find(options.Capability);
        var handler = CapabilityRegistry.Resolve(options.Capability);
        if (descriptor is null || !descriptor.IsExecutable || handler is null)
        {
            return CapabilityOutcome.Failed(FailureCategory.CapabilityUnavailable, Unavailable(descriptor));
        }

        var errors = options.Errors.Concat(descriptor.Parameters.Validate(options.StepParameters)).ToArray();
        if (errors.Length > 0)
        {
            return CapabilityOutcome.Failed(FailureCategory.ValidationFailure,
                $"step {options.StepName} ({options.Capability}) cannot run: {string.Join("; ", errors)}");
        }

        var context = new CapabilityContext(options.ClusterRef, options.StepName, options.StepParameters ?? [], management,
            options.TargetKubeconfigPath, options.TalosconfigPath, time)
        {
            TrustedKeysDirectory = options.TrustedKeysDirectory,
            ReadyTimeout = options.ReadyTimeout,
            Logger = logger,
        };
        try
        {
            return await handler.RunAsync(context, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A handler should report failures itself; an escaped exception is still a recorded failure.
            return CapabilityOutcome.Failed(FailureCategory.ExecutionFailure, $"capability {options.Capability} failed unexpectedly: {e.Message}");
        }
    }

    private string Unavailable(CapabilityDescriptor? descriptor) => descriptor switch
    {
        null when options.Capability.Length == 0 =>
            $"{JobProtocol.CapabilityEnvVar} is not set; the step sequencer must name the capability to run",
        null => $"capability '{options.Capability}' is not in the catalog; known capabilities: {string.Join(", ", CapabilityCatalog.ExecutableNames)}",
        { IsExecutable: false } => $"capability '{options.Capability}' is compile-only: it runs in the compiler on a workstation, never in a Job",
        _ => $"capability '{options.Capability}' has no handler in this image",
    };

    private Dictionary<string, string> Labels()
    {
        var labels = new Dictionary<string, string>();
        void AddIfLabelValue(string key, string value)
        {
            // Only values Kubernetes accepts as label values; an unknown capability name may not be one.
            if (value.Length is > 0 and <= 63 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1]))
            {
                labels[key] = value;
            }
        }
        AddIfLabelValue(JobProtocol.CapabilityLabel, options.Capability);
        AddIfLabelValue(JobProtocol.ClusterLabel, options.ClusterRef);
        AddIfLabelValue(JobProtocol.StepLabel, options.StepName);
        return labels;
    }

    [LoggerMessage(1, LogLevel.Information, "Running capability {Capability} for cluster {ClusterId}, step {Step}")]
    private static partial void LogStarting(ILogger logger, string capability, string clusterId, string step);

    [LoggerMessage(2, LogLevel.Information, "Recording result in ConfigMap {Namespace}/{Name}: {Status} {Reason}")]
    private static partial void LogRecording(ILogger logger, string @namespace, string name, string status, string reason);

    [LoggerMessage(3, LogLevel.Error, "Could not record the result in ConfigMap {Namespace}/{Name}: {Reason}; check that the API server is reachable and the Job's service account may create and update ConfigMaps there")]
    private static partial void LogRecordFailed(ILogger logger, string @namespace, string name, string reason, Exception exception);
}
