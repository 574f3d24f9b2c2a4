using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.AuditWal;

/// <summary>Checks <see cref="AuditWalOptions"/> on start and reports every problem at once.</summary>
public sealed class AuditWalOptionsValidator : IValidateOptions<AuditWalOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditWalOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path) || !System.IO.Path.IsPathRooted(options.Path))
        {
            failures.Add($"{AuditWalOptions.PathVariable} must be an absolute directory path on a persistent volume " +
                $"(got '{options.Path}'); set the {AuditWalOptions.PathVariable} environment variable");
        }

        if (options.UnparsableMaxBytes is not null)
        {
            failures.Add($"{AuditWalOptions.MaxBytesVariable} '{options.UnparsableMaxBytes}' is not a whole number of " +
                $"bytes; set it to a decimal integer such as {AuditWalOptions.DefaultMaxBytes}");
        }
        else if (options.MaxBytes < AuditWalOptions.MinMaxBytes)
        {
            failures.Add($"{AuditWalOptions.MaxBytesVariable} must be at least {AuditWalOptions.MinMaxBytes} bytes " +
                $"(got {options.MaxBytes}); raise the {AuditWalOptions.MaxBytesVariable} environment variable");
        }

        if (options.SegmentBytes < 0 || options.SegmentBytes > options.MaxBytes)
        {
            failures.Add($"AuditWal:SegmentBytes must be between 0 (automatic) and {AuditWalOptions.MaxBytesVariable} " +
                $"({options.MaxBytes}) (got {options.SegmentBytes})");
        }

        if (options.LiveTailRecords < 1)
        {
            failures.Add($"AuditWal:LiveTailRecords must be at least 1 (got {options.LiveTailRecords})");
        }

        if (options.LiveTailBytes < 1)
        {
            failures.Add($"AuditWal:LiveTailBytes must be at least 1 (got {options.LiveTailBytes})");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
