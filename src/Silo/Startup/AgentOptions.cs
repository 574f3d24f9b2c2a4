using Microsoft.Extensions.Configuration;

namespace Conductor.Silo.Startup;

/// <summary>Settings every agent reads, whatever its role. Bound from environment variables of the same name.</summary>
public sealed class AgentOptions
{
    public const string ClusterRefEnvVar = "CLUSTER_REF";
    public const string PodNamespaceEnvVar = "POD_NAMESPACE";
    public const string InternalPortEnvVar = "INTERNAL_PORT";
    public const string DefaultNamespace = "ont-system";
    public const int DefaultInternalPort = 8080;

    /// <summary>This cluster's name (<c>CLUSTER_REF</c>); names the Lease, the RunnerConfig and the tenant namespace.</summary>
    [ConfigurationKeyName(ClusterRefEnvVar)]
    public string ClusterRef { get; set; } = "";

    /// <summary>Namespace of the agent's Lease, RunnerConfig and receipts (<c>POD_NAMESPACE</c>).</summary>
    [ConfigurationKeyName(PodNamespaceEnvVar)]
    public string PodNamespace { get; set; } = DefaultNamespace;

    /// <summary>Port of health, readiness and metrics endpoints (<c>INTERNAL_PORT</c>); plain HTTP, cluster-local.</summary>
    [ConfigurationKeyName(InternalPortEnvVar)]
    public int InternalPort { get; set; } = DefaultInternalPort;
}
