namespace Conductor.Runner;

/// <summary>
/// Condition types written on RunnerConfig (and, for the security ones, on receipts) status. Other programs and
/// humans match on these strings, so they never change.
/// </summary>
public static class ConditionTypes
{
    /// <summary>The compiler's launch phase has been applied and its cluster is up.</summary>
    public const string LaunchComplete = "LaunchComplete";

    /// <summary>The conductor agent has been enabled on the cluster.</summary>
    public const string EnableComplete = "EnableComplete";

    /// <summary>The cluster's bootstrap capability completed.</summary>
    public const string BootstrapComplete = "BootstrapComplete";

    /// <summary>A RunnerConfig phase failed; the message names the phase.</summary>
    public const string PhaseFailed = "PhaseFailed";

    /// <summary>A step names a capability this cluster's executor does not provide.</summary>
    public const string CapabilityUnavailable = "CapabilityUnavailable";

    /// <summary>The tenant's federation channel missed three heartbeats in a row.</summary>
    public const string FederationChannelDegraded = "FederationChannelDegraded";

    /// <summary>The tenant's audit write-ahead log is full; new audit events are being refused.</summary>
    public const string AuditWALFull = "AuditWALFull";

    /// <summary>A management signature failed to verify; the receipt is blocked.</summary>
    public const string DegradedSecurityState = "DegradedSecurityState";

    /// <summary>
    /// On the tenant's TalosCluster (management cluster): the tenant verified and acknowledged the PermissionSnapshot
    /// pushed during onboarding (True), or refused it (False, the message says why).
    /// </summary>
    public const string PermissionSnapshotAcknowledged = "PermissionSnapshotAcknowledged";

    /// <summary>Terminal: every step of the RunnerConfig succeeded.</summary>
    public const string Completed = "Completed";

    /// <summary>Terminal: a step failed; the message names it.</summary>
    public const string Failed = "Failed";
}
