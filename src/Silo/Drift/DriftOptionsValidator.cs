using Conductor.Silo.Custody;
using Conductor.Silo.Startup;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Drift;

/// <summary>Collects every problem with <see cref="DriftOptions"/>, each naming the variable to fix.</summary>
public sealed class DriftOptionsValidator(bool tenant) : IValidateOptions<DriftOptions>
{
    private static readonly TimeSpan MinimumResync = TimeSpan.FromSeconds(1);

    public ValidateOptionsResult Validate(string? name, DriftOptions options)
    {
        var failures = new List<string>(options.Unreadable);
        if (options.ResyncPeriod < MinimumResync)
        {
            failures.Add($"{DriftOptions.ResyncPeriodEnvVar} {options.ResyncPeriod.TotalSeconds}s must be at least 1s: a shorter period floods the API servers.");
        }
        if (options.EscalationLimit < 1)
        {
            failures.Add($"{DriftOptions.EscalationLimitEnvVar} {options.EscalationLimit} must be at least 1: at 0 no drift is ever redeployed.");
        }
        if (tenant && options.TenantEnabled)
        {
            if (!File.Exists(options.ManagementKubeconfigPath))
            {
                failures.Add($"{CustodyOptions.ManagementKubeconfigEnvVar}={options.ManagementKubeconfigPath} does not exist: mount the management kubeconfig Secret there.");
            }
            if (string.IsNullOrWhiteSpace(options.ClusterRef))
            {
                failures.Add($"{AgentOptions.ClusterRefEnvVar} is required for drift detection: it names the TalosCluster and the seam-tenant-{{cluster}} namespace.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
