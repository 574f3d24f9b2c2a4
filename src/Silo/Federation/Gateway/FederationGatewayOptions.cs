namespace Conductor.Silo.Federation.Gateway;

/// <summary>The management agent's federation listener: where tenants dial, and the certificates for mTLS.</summary>
public sealed class FederationGatewayOptions
{
    /// <summary>Configuration section of the settings that have no variable of their own (<c>FederationGateway__GrainCallRetryBudget</c>).</summary>
    public const string SectionName = "FederationGateway";

    /// <summary>Environment variable with the TCP port tenants dial.</summary>
    public const string PortVariable = "FEDERATION_PORT";

    /// <summary>Environment variable with the PEM file of the management CA that issues tenant certificates.</summary>
    public const string CaCertificatePathVariable = "FEDERATION_CA_CERT_PATH";

    /// <summary>Environment variable with the PEM file of the gateway's server certificate.</summary>
    public const string ServerCertificatePathVariable = "FEDERATION_SERVER_CERT_PATH";

    /// <summary>Environment variable with the PEM (PKCS#8 or SEC1) file of the server certificate's private key.</summary>
    public const string ServerKeyPathVariable = "FEDERATION_SERVER_KEY_PATH";

    /// <summary>Default <see cref="Port"/>.</summary>
    public const int DefaultPort = 9443;

    /// <summary>Port of the mTLS listener (<c>FEDERATION_PORT</c>); 0 picks a free port (tests).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Address to bind; null binds every interface. Tests bind 127.0.0.1.</summary>
    public string? BindAddress { get; set; }

    /// <summary>
    /// The management CA (<c>FEDERATION_CA_CERT_PATH</c>). Client certificates must chain to it and to nothing
    /// else: the system trust store is never consulted.
    /// </summary>
    public string CaCertificatePath { get; set; } = "";

    /// <summary>Server certificate (<c>FEDERATION_SERVER_CERT_PATH</c>).</summary>
    public string ServerCertificatePath { get; set; } = "";

    /// <summary>Server private key (<c>FEDERATION_SERVER_KEY_PATH</c>).</summary>
    public string ServerKeyPath { get; set; } = "";

    /// <summary>Longest allowed <see cref="GrainCallRetryBudget"/>: past it a tenant is better off reconnecting.</summary>
    public static readonly TimeSpan MaxGrainCallRetryBudget = TimeSpan.FromSeconds(30);

    /// <summary>
    /// First wait before retrying a grain call refused because its silo is unavailable (membership has not yet declared
    /// it dead); each further wait doubles.
    /// </summary>
    public TimeSpan GrainCallRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Total wait across the retries of one refused grain call before the tenant's stream ends (and the tenant
    /// reconnects); 0 turns retries off. At most <see cref="MaxGrainCallRetryBudget"/>.
    /// </summary>
    public TimeSpan GrainCallRetryBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The raw <c>FEDERATION_PORT</c> value when it was not a number; reported by the validator.</summary>
    internal string? UnparsablePort { get; set; }
}
