using Conductor.Signing;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Custody;

/// <summary>Collects every problem with <see cref="CustodyOptions"/>; when the pull loops are on, the key directory must load now.</summary>
public sealed class CustodyOptionsValidator : IValidateOptions<CustodyOptions>
{
    public ValidateOptionsResult Validate(string? name, CustodyOptions options)
    {
        var failures = new List<string>();
        if (options.KeyReloadSeconds < 1)
        {
            failures.Add($"{CustodyOptions.KeyReloadSecondsEnvVar} {options.KeyReloadSeconds} must be at least 1.");
        }
        if (!options.Enabled)
        {
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
        if (!File.Exists(options.ManagementKubeconfigPath))
        {
            failures.Add($"{CustodyOptions.ManagementKubeconfigEnvVar}={options.ManagementKubeconfigPath} does not exist: mount the management kubeconfig Secret there.");
        }
        if (string.IsNullOrWhiteSpace(options.PublicKeysDirectory))
        {
            failures.Add($"{CustodyOptions.PublicKeysDirEnvVar} is required with {CustodyOptions.ManagementKubeconfigEnvVar}: without trusted keys nothing can be verified.");
        }
        else
        {
            try
            {
                TrustedKeysDirectory.Read(options.PublicKeysDirectory);
            }
            catch (SigningKeyException e)
            {
                failures.Add($"{CustodyOptions.PublicKeysDirEnvVar}: {e.Message}.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
