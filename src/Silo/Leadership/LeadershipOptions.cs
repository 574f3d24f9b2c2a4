using Microsoft.Extensions.Configuration;

namespace Conductor.Silo.Leadership;

/// <summary>
/// The agent's Kubernetes Lease election: Lease <c>conductor-{cluster}</c> in <c>POD_NAMESPACE</c>, held by one
/// replica at a time. Durations are read as <c>15s</c>, <c>500ms</c> or a number of seconds.
/// </summary>
public sealed class LeadershipOptions
{
    public const string PodNameEnvVar = "POD_NAME";
    public const string LeaseDurationEnvVar = "LEASE_DURATION";
    public const string RenewDeadlineEnvVar = "LEASE_RENEW_DEADLINE";
    public const string RetryPeriodEnvVar = "LEASE_RETRY_PERIOD";
    public const string LeaseNamePrefix = "conductor-";

    /// <summary>This replica's identity in the Lease (<c>POD_NAME</c>, else the host name).</summary>
    [ConfigurationKeyName(PodNameEnvVar)]
    public string Identity { get; set; } = Environment.MachineName;

    /// <summary>How long a Lease holds without renewal (<c>LEASE_DURATION</c>, default 15 s, whole seconds).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the leader keeps trying to renew before it gives up leadership (<c>LEASE_RENEW_DEADLINE</c>, default
    /// 10 s). Shorter than the lease duration, so the old leader stops writing before anyone else may start.
    /// </summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquire and renew attempts (<c>LEASE_RETRY_PERIOD</c>, default 2 s).</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Lease namespace; set from <c>POD_NAMESPACE</c>.</summary>
    public string Namespace { get; set; } = "ont-system";

    /// <summary>Lease name, <c>conductor-{cluster}</c>; set from <c>CLUSTER_REF</c>.</summary>
    public string LeaseName { get; set; } = "";

    internal List<string> Unreadable { get; } = [];
}
