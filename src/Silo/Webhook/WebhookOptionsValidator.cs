using Microsoft.Extensions.Options;

namespace Conductor.Silo.Webhook;

/// <summary>Collects every problem with <see cref="WebhookOptions"/>, each naming the variable to fix.</summary>
public sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (options.UnparsablePort is { } text)
        {
            failures.Add($"{WebhookOptions.PortEnvVar} '{text}' must be a TCP port number (1-65535).");
        }
        else if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{WebhookOptions.PortEnvVar} {options.Port} must be a TCP port (1-65535).");
        }
        var hasCertificate = !string.IsNullOrWhiteSpace(options.CertificatePath);
        var hasKey = !string.IsNullOrWhiteSpace(options.KeyPath);
        if (hasCertificate != hasKey)
        {
            failures.Add($"{WebhookOptions.CertificatePathEnvVar} and {WebhookOptions.KeyPathEnvVar} must be set together (mount the webhook's TLS Secret and set both).");
        }
        CheckFile(failures, WebhookOptions.CertificatePathEnvVar, options.CertificatePath);
        CheckFile(failures, WebhookOptions.KeyPathEnvVar, options.KeyPath);
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
