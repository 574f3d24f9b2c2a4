using Microsoft.Extensions.Options;

namespace Conductor.Silo.Management;

/// <summary>Collects every problem with <see cref="ManagementOptions"/>, each naming the variable to fix.</summary>
public sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        var failures = new List<string>();
        CheckPort(failures, ManagementOptions.SiloPortEnvVar, options.SiloPort);
        CheckPort(failures, ManagementOptions.GatewayPortEnvVar, options.GatewayPort);
        if (options.SiloPort == options.GatewayPort)
        {
            failures.Add($"{ManagementOptions.SiloPortEnvVar} and {ManagementOptions.GatewayPortEnvVar} must differ (both {options.SiloPort}).");
        }
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            failures.Add($"{ManagementOptions.ClusterIdEnvVar} must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{ManagementOptions.ServiceIdEnvVar} must not be empty.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPort(List<string> failures, string variable, int port)
    {
        if (port is < 1 or > 65535)
        {
            failures.Add($"{variable} {port} must be a TCP port (1-65535).");
        }
    }
}
