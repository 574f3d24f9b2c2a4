using Conductor.Resources.Guardian;
using Conductor.Discovery;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Sweep;

/// <summary>
/// Asks discovery whether the guardian kinds the profile step writes are served. When Guardian's CRDs are absent the
/// profile step is skipped gracefully (the reference treated "no matches for kind" errors the same way).
/// </summary>
public sealed partial class GuardianApiStep(ApiDiscovery discovery, IOptions<SweepOptions> options, ILogger<GuardianApiStep> logger) : ISweepStep
{
    public string Name => "guardian-api";

    public async Task<SweepStepResult> RunAsync(SweepContext context, CancellationToken cancellationToken)
    {
        var apiVersion = options.Value.GuardianApiVersion;
        var resources = await discovery.ResourcesAsync(apiVersion, cancellationToken);
        var served = resources?.Select(r => r.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        context.GuardianServed = served.Contains(PermissionSet.Plural) && served.Contains(RBACPolicy.Plural) && served.Contains(RBACProfile.Plural);
        if (!context.GuardianServed)
        {
            LogGuardianAbsent(logger, apiVersion);
        }
        return SweepStepResult.Continue;
    }

    [LoggerMessage(1, LogLevel.Information, "Guardian kinds are not served in {ApiVersion}: skipping component PermissionSets, RBACPolicies and RBACProfiles; install Guardian's CRDs to have them created")]
    private static partial void LogGuardianAbsent(ILogger logger, string apiVersion);
}
