namespace Conductor.Silo.Roles;

/// <summary>The two ways the conductor agent runs; chosen by <see cref="RoleGuard.RoleEnvVar"/>, never inferred.</summary>
public enum AgentRole
{
    /// <summary>Hosts the Orleans silo and the federation gateway on the management cluster.</summary>
    Management,

    /// <summary>Runs on a tenant cluster and dials management over gRPC.</summary>
    Tenant,
}
