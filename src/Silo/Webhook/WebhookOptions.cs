namespace Conductor.Silo.Webhook;

/// <summary>The tenant agent's admission webhook listener: AdmissionReview v1 over HTTPS.</summary>
public sealed class WebhookOptions
{
    public const string PortEnvVar = "WEBHOOK_PORT";
    public const string CertificatePathEnvVar = "WEBHOOK_TLS_CERT_PATH";
    public const string KeyPathEnvVar = "WEBHOOK_TLS_KEY_PATH";
    public const int DefaultPort = 8443;

    /// <summary>HTTPS port the API server calls (<c>WEBHOOK_PORT</c>, default 8443).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>PEM server certificate (<c>WEBHOOK_TLS_CERT_PATH</c>); the ValidatingWebhookConfiguration's caBundle must trust it.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of the certificate (<c>WEBHOOK_TLS_KEY_PATH</c>).</summary>
    public string? KeyPath { get; set; }

    /// <summary>Address to bind; null binds every interface. Tests and benchmarks bind 127.0.0.1.</summary>
    public string? BindAddress { get; set; }

    /// <summary>Namespace holding the persisted enforcement state (<c>POD_NAMESPACE</c>).</summary>
    public string Namespace { get; set; } = "ont-system";

    /// <summary>True when both TLS paths are set; without them the webhook is not served (and the agent says so).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath) && !string.IsNullOrWhiteSpace(KeyPath);

    internal string? UnparsablePort { get; set; }
}
