using Conductor.Silo.Custody;
using Conductor.Silo.Startup;
using Microsoft.Extensions.Configuration;

namespace Conductor.Silo.Drift;

/// <summary>
/// Drift detection (tenant) and the DriftSignal handler (management), bound from environment variables of the same
/// name. The tenant loops reach management the way the custody pull loops do, through <c>MGMT_KUBECONFIG_PATH</c>.
/// </summary>
public sealed class DriftOptions
{
    public const string ResyncPeriodEnvVar = "DRIFT_RESYNC_PERIOD";
    public const string EscalationLimitEnvVar = "DRIFT_ESCALATION_LIMIT";

    /// <summary>
    /// How often every receipt, the TalosCluster and every DriftSignal are looked at again although no watch event
    /// arrived (<c>DRIFT_RESYNC_PERIOD</c>, default 30 s as in the reference). Deleted deployed resources of arbitrary
    /// kinds are not watched, so this is how long such a deletion can go unnoticed.
    /// </summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Redeploys that may fail to fix a drift before management stops and records TerminalDrift
    /// (<c>DRIFT_ESCALATION_LIMIT</c>, default 3 as in the reference).
    /// </summary>
    [ConfigurationKeyName(EscalationLimitEnvVar)]
    public int EscalationLimit { get; set; } = DriftTransition.EscalationLimit;

    /// <summary>Management kubeconfig (<c>MGMT_KUBECONFIG_PATH</c>); unset turns tenant drift detection off (logged).</summary>
    [ConfigurationKeyName(CustodyOptions.ManagementKubeconfigEnvVar)]
    public string? ManagementKubeconfigPath { get; set; }

    /// <summary>This cluster's name (<c>CLUSTER_REF</c>): the TalosCluster's name and the <c>seam-tenant-{cluster}</c> namespace.</summary>
    [ConfigurationKeyName(AgentOptions.ClusterRefEnvVar)]
    public string ClusterRef { get; set; } = "";

    /// <summary>Where PackReceipts and the TalosCluster live on this cluster (<c>POD_NAMESPACE</c>, default ont-system).</summary>
    [ConfigurationKeyName(AgentOptions.PodNamespaceEnvVar)]
    public string Namespace { get; set; } = AgentOptions.DefaultNamespace;

    public bool TenantEnabled => !string.IsNullOrWhiteSpace(ManagementKubeconfigPath);

    internal List<string> Unreadable { get; } = [];
}
