using System.Net;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>Checks <see cref="FederationGatewayOptions"/> on start and reports every problem at once.</summary>
public sealed class FederationGatewayOptionsValidator : IValidateOptions<FederationGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, FederationGatewayOptions options)
    {
        var failures = new List<string>();
        if (options.UnparsablePort is not null)
        {
            failures.Add($"{FederationGatewayOptions.PortVariable} '{options.UnparsablePort}' is not a port number; " +
                $"set it to a bare number such as {FederationGatewayOptions.DefaultPort}");
        }
        else if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{FederationGatewayOptions.PortVariable} must be between 1 and 65535 (got {options.Port})");
        }

        if (options.BindAddress is not null && !IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"FederationGateway:BindAddress '{options.BindAddress}' is not an IP address");
        }

        if (options.GrainCallRetryBudget < TimeSpan.Zero || options.GrainCallRetryBudget > FederationGatewayOptions.MaxGrainCallRetryBudget)
        {
            failures.Add($"FederationGateway:GrainCallRetryBudget must be between 0 and {FederationGatewayOptions.MaxGrainCallRetryBudget.TotalSeconds} s " +
                $"(got {options.GrainCallRetryBudget})");
        }

        if (options.GrainCallRetryDelay <= TimeSpan.Zero)
        {
            failures.Add($"FederationGateway:GrainCallRetryDelay must be positive (got {options.GrainCallRetryDelay})");
        }

        RequireFile(failures, FederationGatewayOptions.CaCertificatePathVariable, options.CaCertificatePath);
        RequireFile(failures, FederationGatewayOptions.ServerCertificatePathVariable, options.ServerCertificatePath);
        RequireFile(failures, FederationGatewayOptions.ServerKeyPathVariable, options.ServerKeyPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireFile(List<string> failures, string variable, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{variable} is not set; point it at the PEM file mounted from the federation Secret");
        }
        else if (!File.Exists(path))
        {
            failures.Add($"{variable} names {path}, which does not exist; check the federation Secret's volume mount");
        }
    }
}
