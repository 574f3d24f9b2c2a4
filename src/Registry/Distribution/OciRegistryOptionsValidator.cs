using Microsoft.Extensions.Options;

namespace Conductor.Registry.Distribution;

/// <summary>Checks every <see cref="OciRegistryOptions"/> setting and reports all failures at once.</summary>
public sealed class OciRegistryOptionsValidator : IValidateOptions<OciRegistryOptions>
{
    /// <summary>The smallest chunk we send; smaller chunks only multiply round trips.</summary>
    public const int MinChunkSize = 1024;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OciRegistryOptions options)
    {
        var failures = new List<string>();
        var section = OciRegistryOptions.SectionName;
        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{section}:MaxAttempts is {options.MaxAttempts}: set it between 1 and 10");
        }

        if (options.InitialRetryDelay < TimeSpan.Zero)
        {
            failures.Add($"{section}:InitialRetryDelay is negative: set a duration of zero or more");
        }

        if (options.MaxRetryDelay < options.InitialRetryDelay)
        {
            failures.Add($"{section}:MaxRetryDelay ({options.MaxRetryDelay}) is less than InitialRetryDelay " +
                         $"({options.InitialRetryDelay}): raise it");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:RequestTimeout must be positive");
        }

        if (options.ChunkSize < MinChunkSize)
        {
            failures.Add($"{section}:ChunkSize is {options.ChunkSize}: set at least {MinChunkSize} bytes");
        }

        if (options.MaxPullBytes <= 0)
        {
            failures.Add($"{section}:MaxPullBytes must be positive");
        }

        foreach (var registry in options.PlainHttpRegistries)
        {
            if (string.IsNullOrWhiteSpace(registry) || registry.Contains('/', StringComparison.Ordinal))
            {
                failures.Add($"{section}:PlainHttpRegistries has '{registry}': list host[:port] values, no scheme or path");
            }
        }

        if (!string.IsNullOrEmpty(options.CaCertificateFile) && !File.Exists(options.CaCertificateFile))
        {
            failures.Add($"{section}:CaCertificateFile '{options.CaCertificateFile}' does not exist: point it at a PEM file");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
