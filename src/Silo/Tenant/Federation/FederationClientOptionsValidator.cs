using Conductor.Naming;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Tenant.Federation;

/// <summary>Checks <see cref="FederationClientOptions"/> on start and reports every problem at once.</summary>
public sealed class FederationClientOptionsValidator : IValidateOptions<FederationClientOptions>
{
    public ValidateOptionsResult Validate(string? name, FederationClientOptions options)
    {
        var failures = new List<string>(options.Unparsable);
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps || endpoint.IsDefaultPort)
        {
            failures.Add($"{FederationClientOptions.EndpointVariable} '{options.Endpoint}' must be an https URL with host and port, " +
                "for example https://conductor.mgmt.example:9443");
        }

        RequireFile(failures, FederationClientOptions.ClientCertificatePathVariable, options.ClientCertificatePath);
        RequireFile(failures, FederationClientOptions.ClientKeyPathVariable, options.ClientKeyPath);
        RequireFile(failures, FederationClientOptions.CaCertificatePathVariable, options.CaCertificatePath);
        if (options.Replica.Length > 0 && !DnsLabel.IsValid(options.Replica))
        {
            failures.Add($"{FederationClientOptions.ReplicaVariable} '{options.Replica}' must be a DNS-1123 label (the pod name, " +
                "from the downward API: lowercase letters, digits and '-', at most 63 characters)");
        }

        if (options.HeartBeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"{FederationClientOptions.HeartBeatSecondsVariable} must be a positive number of seconds");
        }

        if (options.MissedAckThreshold < 1 || options.AuditBatchMaxEvents < 1)
        {
            failures.Add("FederationClient:MissedAckThreshold and FederationClient:AuditBatchMaxEvents must be at least 1");
        }

        if (options.ReconnectInitialDelay <= TimeSpan.Zero || options.ReconnectMaxDelay < options.ReconnectInitialDelay)
        {
            failures.Add("FederationClient:ReconnectInitialDelay must be positive and not above FederationClient:ReconnectMaxDelay");
        }

        if (options.ValidationTimeout <= TimeSpan.Zero)
        {
            failures.Add("FederationClient:ValidationTimeout must be positive");
        }

        if (options.KeepAlivePing <= TimeSpan.Zero)
        {
            failures.Add("FederationClient:KeepAlivePing must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireFile(List<string> failures, string variable, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{variable} is not set; point it at the PEM file mounted from the federation client Secret");
        }
        else if (!File.Exists(path))
        {
            failures.Add($"{variable} names {path}, which does not exist; check the federation client Secret's volume mount");
        }
    }
}
