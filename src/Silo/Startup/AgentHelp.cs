namespace Conductor.Silo.Startup;

/// <summary>The agent's <c>--help</c>: its roles and the environment it reads.</summary>
public static class AgentHelp
{
    public const string ProgramName = "conductor";

    public static bool IsRequested(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h");

    public static void Write(TextWriter stdout) => stdout.Write(
        """
        conductor: the Seam platform agent (agent mode). Runs as a Deployment in ont-system on every cluster.

        Usage: conductor [--help]

        The role comes from the environment and is never inferred:
          CONDUCTOR_ROLE=management  hosts the Orleans silo: tenant sessions, signing, step sequencing,
                                     and the federation gateway for tenant agents.
          CONDUCTOR_ROLE=tenant      dials management over gRPC (mTLS): heartbeats, audit events through a
                                     write-ahead log, PermissionService, admission webhook, drift detection.
        An absent or other value exits 2 with an InvariantViolation line on stderr.

        Environment:
          CONDUCTOR_ROLE           management | tenant (required, exact)
          CLUSTER_REF              this cluster's name (required)
          POD_NAMESPACE            namespace of the agent's Lease, RunnerConfig and receipts (default ont-system)
          FEDERATION_PORT          management: federation gateway port, mTLS (default 9443)
          INTERNAL_PORT            health, readiness, metrics and cluster-local gRPC
          MGMT_ENDPOINT            tenant: host:port of the management federation gateway
          WAL_PATH                 tenant: audit write-ahead log file on a volume
          WEBHOOK_PORT             tenant: admission webhook port, HTTPS (default 8443)
          PERMISSION_SERVICE_PORT  tenant: PermissionService gRPC port (default 50051)
          CONDUCTOR_MODE           if set, must be 'agent'; compile and execute belong to other programs

        Exit codes: 0 stopped cleanly or --help; 1 start-up failed; 2 InvariantViolation (wrong mode or role).

        """);
}
