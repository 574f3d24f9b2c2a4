using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// Decides, during the TLS handshake, whether a tenant may connect: its certificate must chain to the management
/// CA alone (never the system store), be within its validity period at <see cref="TimeProvider"/>'s now, allow
/// client authentication and name exactly one cluster id. Every refusal is logged with the peer address.
/// </summary>
public sealed partial class ClientCertificateVerifier(
    FederationCredentials credentials, TimeProvider time, ILogger<ClientCertificateVerifier> logger)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>A validation callback for one connection, so refusals can name <paramref name="peer"/>.</summary>
    public RemoteCertificateValidationCallback CallbackFor(EndPoint? peer) =>
        (_, certificate, _, _) => Verify(certificate, peer);

    public bool Verify(X509Certificate? certificate, EndPoint? peer)
    {
        var peerText = peer?.ToString() ?? "unknown peer";
        if (certificate is null)
        {
            LogRefused(logger, peerText, "no client certificate was presented");
            return false;
        }

        // SslStream may hand over a certificate it will dispose; work on our own copy.
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var refusal = ChainRefusal(leaf);
        var clusterId = refusal is null ? FederationPeerIdentity.ClusterIdOf(leaf, out refusal) : null;
        if (clusterId is null)
        {
            LogRefused(logger, peerText, refusal!);
            return false;
        }

        LogAccepted(logger, peerText, clusterId);
        return true;
    }

    private string? ChainRefusal(X509Certificate2 leaf)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(credentials.Authorities);
        // Tenants are cut off by rotating the CA or refusing the cluster id; there is no CRL or OCSP service.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        if (chain.Build(leaf))
        {
            return null;
        }

        var problems = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct(StringComparer.Ordinal);
        return $"certificate {leaf.Subject} (issuer {leaf.Issuer}, valid {leaf.NotBefore:u} to {leaf.NotAfter:u}) " +
            $"does not verify against the management CA: {string.Join(", ", problems)}";
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning,
        Message = "Refusing federation connection from {Peer}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug,
        Message = "Accepted federation client certificate from {Peer} for cluster {ClusterId}")]
    private static partial void LogAccepted(ILogger logger, string peer, string clusterId);
}
