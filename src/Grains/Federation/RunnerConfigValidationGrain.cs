using System.Collections.Immutable;
using Conductor.Federation;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Conductor.Grains.Federation;

/// <summary>Answers RunnerConfig validation requests with <see cref="RunnerConfigRules"/>; holds no state.</summary>
[StatelessWorker]
public sealed partial class RunnerConfigValidationGrain(ILogger<RunnerConfigValidationGrain> logger) : Grain, IRunnerConfigValidationGrain
{
    public Task<ValidationVerdict> ValidateAsync(string clusterId, ValidationRequest request)
    {
        var findings = RunnerConfigRules.Check(request.SpecJson);
        if (findings.Count > 0)
        {
            LogRejected(logger, clusterId, request.Namespace, request.Name, findings.Count, findings[0].Rule, findings[0].Message);
        }

        return Task.FromResult(new ValidationVerdict(request.RequestId, findings.Count == 0, [.. findings]));
    }

    [LoggerMessage(EventId = 3130, Level = LogLevel.Information,
        Message = "Rejected RunnerConfig {Namespace}/{Name} of cluster {ClusterId}: {Count} findings, first {Rule}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string clusterId, string @namespace, string name, int count, string rule, string reason);
}
