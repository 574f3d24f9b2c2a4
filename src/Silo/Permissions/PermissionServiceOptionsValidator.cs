using Microsoft.Extensions.Options;

namespace Conductor.Silo.Permissions;

/// <summary>Collects every problem with <see cref="PermissionServiceOptions"/>, each naming the variable to fix.</summary>
public sealed class PermissionServiceOptionsValidator : IValidateOptions<PermissionServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, PermissionServiceOptions options)
    {
        var failures = new List<string>();
        if (options.UnparsablePort is { } text)
        {
            failures.Add($"{PermissionServiceOptions.PortEnvVar} '{text}' must be a TCP port number (1-65535).");
        }
        else if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{PermissionServiceOptions.PortEnvVar} {options.Port} must be a TCP port (1-65535).");
        }
        if (string.IsNullOrWhiteSpace(options.Cluster))
        {
            failures.Add("CLUSTER_REF must name this cluster: the PermissionService uses only snapshots that target it.");
        }
        var hasCertificate = !string.IsNullOrWhiteSpace(options.CertificatePath);
        var hasKey = !string.IsNullOrWhiteSpace(options.KeyPath);
        if (hasCertificate != hasKey)
        {
            failures.Add($"{PermissionServiceOptions.CertificatePathEnvVar} and {PermissionServiceOptions.KeyPathEnvVar} must be set together (mount the PermissionService TLS Secret and set both).");
        }
        CheckFile(failures, PermissionServiceOptions.CertificatePathEnvVar, options.CertificatePath);
        CheckFile(failures, PermissionServiceOptions.KeyPathEnvVar, options.KeyPath);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckFile(List<string> failures, string variable, string? path)
    {
        if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
        {
            failures.Add($"{variable}={path} does not exist: point it at the mounted PEM file.");
        }
    }
}
