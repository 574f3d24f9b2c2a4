namespace Conductor.Silo.Tenant.Federation;

/// <summary>How the tenant agent reaches management's federation gateway, and the channel's timing.</summary>
public sealed class FederationClientOptions
{
    /// <summary>Environment variable with management's federation address, for example <c>https://mgmt.example:9443</c>.</summary>
    public const string EndpointVariable = "MGMT_ENDPOINT";

    /// <summary>Environment variable with the PEM client certificate naming this cluster as its DNS SAN.</summary>
    public const string ClientCertificatePathVariable = "FEDERATION_CLIENT_CERT_PATH";

    /// <summary>Environment variable with the PEM private key of the client certificate.</summary>
    public const string ClientKeyPathVariable = "FEDERATION_CLIENT_KEY_PATH";

    /// <summary>Environment variable with the PEM management CA the gateway's certificate must chain to.</summary>
    public const string CaCertificatePathVariable = "FEDERATION_CA_CERT_PATH";

    /// <summary>Environment variable with the heartbeat interval in seconds (default 30).</summary>
    public const string HeartBeatSecondsVariable = "FEDERATION_HEARTBEAT_SECONDS";

    /// <summary>Environment variable with this replica's pod name (downward API), which names its WAL to management.</summary>
    public const string ReplicaVariable = "POD_NAME";

    /// <summary>
    /// This replica's name (<c>POD_NAME</c>, a DNS label). Every replica ships its own WAL on its own stream, and
    /// management keeps one audit sink per replica; empty means a single-replica agent (or, under a Lease election,
    /// the Lease identity).
    /// </summary>
    public string Replica { get; set; } = "";

    /// <summary>Management's federation address (<c>MGMT_ENDPOINT</c>), https with host and port.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary><c>FEDERATION_CLIENT_CERT_PATH</c>; re-read at every connect, so a rotated certificate is picked up.</summary>
    public string ClientCertificatePath { get; set; } = "";

    /// <summary><c>FEDERATION_CLIENT_KEY_PATH</c>.</summary>
    public string ClientKeyPath { get; set; } = "";

    /// <summary><c>FEDERATION_CA_CERT_PATH</c>: the only trust anchor for management's certificate.</summary>
    public string CaCertificatePath { get; set; } = "";

    /// <summary>How often the tenant sends a heartbeat (default 30 s, DESIGN §2).</summary>
    public TimeSpan HeartBeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive unacknowledged heartbeats after which the channel is degraded (default 3).</summary>
    public int MissedAckThreshold { get; set; } = 3;

    /// <summary>
    /// First reconnect delay; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter (after a
    /// lost live stream only after <see cref="ReconnectBackoff.SteadyAttemptsAfterLiveStream"/> attempts). Half a
    /// second so a killed management silo's tenants retry a survivor often while the cluster declares the silo dead
    /// (~3–5 s) and are back within the 10 s failover target (bench/Conductor.Bench.Failover).
    /// </summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// HTTP/2 keep-alive: a PING after this long without a frame from management, and the connection is dropped when
    /// its answer takes longer than this again. A management node that vanishes without closing its sockets (a lost
    /// node, not a killed process) is noticed within twice this (default 3 s, so 6 s) rather than at the 30 s heartbeat,
    /// which keeps failover within the 10 s target. Kestrel answers pings without limiting their rate.
    /// </summary>
    public TimeSpan KeepAlivePing { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a validation call waits for management before failing closed.</summary>
    public TimeSpan ValidationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most audit events sent in one envelope.</summary>
    public int AuditBatchMaxEvents { get; set; } = 500;

    /// <summary>
    /// Namespace of this agent on the tenant cluster (<c>POD_NAMESPACE</c>): its RunnerConfig, where the degraded
    /// condition is set, and ConfigMap <c>conductor-revoked-artifacts</c>, where applied revocations are marked.
    /// </summary>
    public string AgentNamespace { get; set; } = "ont-system";

    /// <summary>Name of this cluster's RunnerConfig; empty means the cluster id from the client certificate.</summary>
    public string RunnerConfigName { get; set; } = "";

    /// <summary>The raw value of a duration or count variable that did not parse; reported by the validator.</summary>
    internal List<string> Unparsable { get; } = [];
}
