using Conductor.Compiler.Talos.Pki;

namespace Conductor.Compiler.Talos.Secrets;

/// <summary>
/// Everything secret a Talos cluster shares (Talos' secrets bundle): identity, join tokens, the etcd-at-rest key,
/// four certificate authorities and the service-account signing key. One bundle serves every node's config.
/// </summary>
internal sealed record SecretsBundle
{
    /// <summary>32 random bytes, base64.</summary>
    public required string ClusterId { get; init; }

    /// <summary>32 random bytes, base64; used by discovery.</summary>
    public required string ClusterSecret { get; init; }

    /// <summary>Kubernetes bootstrap token, <c>[a-z0-9]{6}.[a-z0-9]{16}</c>.</summary>
    public required string BootstrapToken { get; init; }

    /// <summary>Talos trustd (machine join) token, same format.</summary>
    public required string TrustdToken { get; init; }

    /// <summary>32 random bytes, base64; the secretbox key for secrets at rest in etcd.</summary>
    public required string SecretboxEncryptionSecret { get; init; }

    /// <summary>Talos API CA (Ed25519).</summary>
    public required CertificateAuthority OsCa { get; init; }

    /// <summary>Kubernetes CA (ECDSA P-256).</summary>
    public required CertificateAuthority KubernetesCa { get; init; }

    /// <summary>Front-proxy (aggregation layer) CA (ECDSA P-256).</summary>
    public required CertificateAuthority AggregatorCa { get; init; }

    /// <summary>etcd CA (ECDSA P-256).</summary>
    public required CertificateAuthority EtcdCa { get; init; }

    /// <summary>Service-account token signing key, PEM (RSA for contracts after 1.6, ECDSA before).</summary>
    public required string ServiceAccountKeyPem { get; init; }
}
