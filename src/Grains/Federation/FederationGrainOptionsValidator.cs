using Conductor.Naming;
using Microsoft.Extensions.Options;

namespace Conductor.Grains.Federation;

/// <summary>Checks <see cref="FederationGrainOptions"/> on start and reports every problem at once.</summary>
public sealed class FederationGrainOptionsValidator : IValidateOptions<FederationGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, FederationGrainOptions options)
    {
        var failures = new List<string>();
        if (options.HeartBeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"{FederationGrainOptions.HeartBeatSecondsVariable} must be a positive number of seconds (got {options.HeartBeatInterval.TotalSeconds})");
        }

        if (options.MissedAckThreshold < 1)
        {
            failures.Add($"Federation:MissedAckThreshold must be at least 1 (got {options.MissedAckThreshold})");
        }

        if (!DnsLabel.IsValid(options.StoreNamespace))
        {
            failures.Add($"{FederationGrainOptions.StoreNamespaceVariable} '{options.StoreNamespace}' is not a namespace name (DNS-1123 label)");
        }

        if (!DnsLabel.IsValid(options.RunnerConfigNamespaceOf("c")))
        {
            failures.Add($"Federation:RunnerConfigNamespace '{options.RunnerConfigNamespace}' does not make a namespace name " +
                $"(DNS-1123 label) once {FederationGrainOptions.ClusterPlaceholder} is replaced");
        }

        foreach (var (setting, value, resolved) in new[]
        {
            ("Federation:TenantNamespace", options.TenantNamespace, options.TenantNamespaceOf("c")),
            ("Federation:TalosClusterNamespace", options.TalosClusterNamespace, options.TalosClusterNamespaceOf("c")),
        })
        {
            if (!DnsLabel.IsValid(resolved))
            {
                failures.Add($"{setting} '{value}' does not make a namespace name (DNS-1123 label) once {FederationGrainOptions.ClusterPlaceholder} is replaced");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
