using Conductor.Naming;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Startup;

/// <summary>Collects every problem with <see cref="AgentOptions"/> at start-up, each naming the variable to fix.</summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterRef))
        {
            failures.Add($"{AgentOptions.ClusterRefEnvVar} is required: set it to this cluster's name on the Deployment.");
        }
        else if (!DnsLabel.IsValid(options.ClusterRef))
        {
            failures.Add($"{AgentOptions.ClusterRefEnvVar} '{options.ClusterRef}' must be a DNS label (lower-case letters, digits, '-', at most 63).");
        }
        if (!DnsLabel.IsValid(options.PodNamespace))
        {
            failures.Add($"{AgentOptions.PodNamespaceEnvVar} '{options.PodNamespace}' must be a namespace name (a DNS label).");
        }
        if (options.InternalPort is < 1 or > 65535)
        {
            failures.Add($"{AgentOptions.InternalPortEnvVar} {options.InternalPort} must be a TCP port (1-65535).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
