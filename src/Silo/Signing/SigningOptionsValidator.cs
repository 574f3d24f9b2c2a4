using Conductor.Signing;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Signing;

/// <summary>Collects every problem with <see cref="SigningOptions"/>; a named key file must hold an Ed25519 key now.</summary>
public sealed class SigningOptionsValidator : IValidateOptions<SigningOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        var failures = new List<string>();
        if (options.KeyReloadSeconds < 1)
        {
            failures.Add($"{SigningOptions.KeyReloadSecondsEnvVar} {options.KeyReloadSeconds} must be at least 1.");
        }
        if (options.Concurrency is < 1 or > 1024)
        {
            failures.Add($"{SigningOptions.ConcurrencyEnvVar} {options.Concurrency} must be between 1 and 1024.");
        }
        if (options.Enabled)
        {
            try
            {
                SigningKeyFile.Read(options.PrivateKeyPath!);
            }
            catch (SigningKeyException e)
            {
                failures.Add($"{SigningOptions.PrivateKeyPathEnvVar}: {e.Message}.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
