using Conductor.Naming;
using Microsoft.Extensions.Options;

namespace Conductor.Grains.Sequencing;

/// <summary>Collects every problem with <see cref="SequencerOptions"/>, each naming the variable to fix.</summary>
public sealed class SequencerOptionsValidator : IValidateOptions<SequencerOptions>
{
    public ValidateOptionsResult Validate(string? name, SequencerOptions options)
    {
        var failures = new List<string>();
        CheckName(failures, SequencerOptions.NamespaceEnvVar, options.Namespace);
        CheckName(failures, SequencerOptions.QueueNameEnvVar, options.QueueName);
        CheckName(failures, SequencerOptions.ServiceAccountEnvVar, options.ServiceAccountName);
        if (options.JobTtlSeconds < 0)
        {
            failures.Add($"{SequencerOptions.JobTtlSecondsEnvVar} {options.JobTtlSeconds} must be zero or more seconds.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckName(List<string> failures, string variable, string value)
    {
        if (!DnsLabel.IsValid(value))
        {
            failures.Add($"{variable} '{value}' must be a DNS label: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit.");
        }
    }
}
