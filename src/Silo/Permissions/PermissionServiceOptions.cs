namespace Conductor.Silo.Permissions;

/// <summary>The tenant agent's PermissionService listener: gRPC (HTTP/2) over TLS, cluster-local.</summary>
public sealed class PermissionServiceOptions
{
    public const string PortEnvVar = "PERMISSION_SERVICE_PORT";
    public const string CertificatePathEnvVar = "PERMISSION_SERVICE_TLS_CERT_PATH";
    public const string KeyPathEnvVar = "PERMISSION_SERVICE_TLS_KEY_PATH";
    public const int DefaultPort = 50051;

    /// <summary>TLS port (<c>PERMISSION_SERVICE_PORT</c>, default 50051).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>PEM server certificate (<c>PERMISSION_SERVICE_TLS_CERT_PATH</c>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of the certificate (<c>PERMISSION_SERVICE_TLS_KEY_PATH</c>).</summary>
    public string? KeyPath { get; set; }

    /// <summary>Address to bind; null binds every interface. Tests and benchmarks bind 127.0.0.1.</summary>
    public string? BindAddress { get; set; }

    /// <summary>Namespace holding the snapshots and their receipts (<c>POD_NAMESPACE</c>).</summary>
    public string Namespace { get; set; } = "ont-system";

    /// <summary>This cluster (<c>CLUSTER_REF</c>): only snapshots targeting it are used.</summary>
    public string Cluster { get; set; } = "";

    /// <summary>True when both TLS paths are set; without them the service is not served (and the agent says so).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath) && !string.IsNullOrWhiteSpace(KeyPath);

    internal string? UnparsablePort { get; set; }
}
