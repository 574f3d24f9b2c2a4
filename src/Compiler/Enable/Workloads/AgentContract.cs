namespace Conductor.Compiler.OperatorBundle.Workloads;

/// <summary>
/// What the stamped Deployment promises the <c>conductor</c> agent: environment variable names, mount paths and
/// ports (DESIGN §1, §6). The agent's options classes read these names; keep the two in step.
/// </summary>
public static class AgentContract
{
    public const string Role = "CONDUCTOR_ROLE";
    public const string ClusterRef = "CLUSTER_REF";
    public const string PodNamespace = "POD_NAMESPACE";
    public const string PodName = "POD_NAME";
    public const string PodIp = "POD_IP";
    public const string SigningPrivateKeyPath = "SIGNING_PRIVATE_KEY_PATH";
    public const string SigningPublicKeyPath = "SIGNING_PUBLIC_KEY_PATH";
    public const string FederationPort = "FEDERATION_PORT";
    public const string InternalPort = "INTERNAL_PORT";
    public const string SiloPort = "SILO_PORT";
    public const string OrleansClusterId = "ORLEANS_CLUSTER_ID";
    public const string FederationCaCertPath = "FEDERATION_CA_CERT_PATH";
    public const string FederationServerCertPath = "FEDERATION_SERVER_CERT_PATH";
    public const string FederationServerKeyPath = "FEDERATION_SERVER_KEY_PATH";
    public const string FederationClientCertPath = "FEDERATION_CLIENT_CERT_PATH";
    public const string FederationClientKeyPath = "FEDERATION_CLIENT_KEY_PATH";
    public const string ManagementEndpoint = "MGMT_ENDPOINT";
    public const string WalPath = "WAL_PATH";

    public const string SigningDirectory = "/etc/conductor/signing";
    public const string FederationDirectory = "/etc/conductor/federation";
    public const string WalDirectory = "/var/lib/conductor/federation-wal";

    public const int FederationPortNumber = 9443;
    public const int InternalPortNumber = 8080;
    public const int SiloPortNumber = 11111;

    public const string ReadinessPath = "/readyz";
    public const string LivenessPath = "/healthz";

    public const string SigningSecret = "conductor-signing-key";
    public const string FederationServerSecret = "conductor-federation-tls";
    public const string FederationClientSecret = "conductor-federation-client";
    public const string PrivateKeyFile = "private.pem";
    public const string PublicKeyFile = "public.pem";
}
