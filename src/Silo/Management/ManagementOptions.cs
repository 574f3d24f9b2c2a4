using Microsoft.Extensions.Configuration;

namespace Conductor.Silo.Management;

/// <summary>Settings of the management role's Orleans silo. Bound from environment variables of the same name.</summary>
public sealed class ManagementOptions
{
    public const string SiloPortEnvVar = "SILO_PORT";
    public const string GatewayPortEnvVar = "GATEWAY_PORT";
    public const string ClusterIdEnvVar = "ORLEANS_CLUSTER_ID";
    public const string ServiceIdEnvVar = "ORLEANS_SERVICE_ID";

    /// <summary>Silo-to-silo port (<c>SILO_PORT</c>).</summary>
    [ConfigurationKeyName(SiloPortEnvVar)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port (<c>GATEWAY_PORT</c>).</summary>
    [ConfigurationKeyName(GatewayPortEnvVar)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Orleans cluster id (<c>ORLEANS_CLUSTER_ID</c>); silos with the same id form one cluster.</summary>
    [ConfigurationKeyName(ClusterIdEnvVar)]
    public string ClusterId { get; set; } = "conductor";

    /// <summary>Orleans service id (<c>ORLEANS_SERVICE_ID</c>); stable across deployments of the same service.</summary>
    [ConfigurationKeyName(ServiceIdEnvVar)]
    public string ServiceId { get; set; } = "conductor-management";
}
