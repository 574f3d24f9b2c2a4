using Microsoft.Extensions.Options;

namespace Conductor.Silo.Leadership;

/// <summary>Collects every problem with <see cref="LeadershipOptions"/>, each naming the variable to fix.</summary>
public sealed class LeadershipOptionsValidator : IValidateOptions<LeadershipOptions>
{
    public ValidateOptionsResult Validate(string? name, LeadershipOptions options)
    {
        var failures = new List<string>(options.Unreadable);
        if (string.IsNullOrWhiteSpace(options.Identity))
        {
            failures.Add($"{LeadershipOptions.PodNameEnvVar} must name this replica (the Deployment sets it from metadata.name).");
        }
        if (options.LeaseDuration < TimeSpan.FromSeconds(1) || options.LeaseDuration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            failures.Add($"{LeadershipOptions.LeaseDurationEnvVar} {options.LeaseDuration.TotalSeconds}s must be a whole number of seconds, at least 1s: the Lease records it in seconds.");
        }
        if (options.RenewDeadline <= TimeSpan.Zero || options.RenewDeadline >= options.LeaseDuration)
        {
            failures.Add($"{LeadershipOptions.RenewDeadlineEnvVar} {options.RenewDeadline.TotalSeconds}s must be above 0 and below {LeadershipOptions.LeaseDurationEnvVar} {options.LeaseDuration.TotalSeconds}s, so a leader that cannot renew stops before another may take over.");
        }
        if (options.RetryPeriod <= TimeSpan.Zero || options.RetryPeriod >= options.RenewDeadline)
        {
            failures.Add($"{LeadershipOptions.RetryPeriodEnvVar} {options.RetryPeriod.TotalSeconds}s must be above 0 and below {LeadershipOptions.RenewDeadlineEnvVar} {options.RenewDeadline.TotalSeconds}s.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
