using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conductor.TestSupport.Certificates;

/// <summary>
/// A management CA and the certificates the federation channel uses, issued the way production issues them:
/// ECDSA P-256, server certificate with serverAuth, tenant client certificates with clientAuth and the
/// cluster id as DNS SAN. Also issues the bad certificates the security tests need (expired, no SAN) and,
/// through a second instance, certificates from a CA management does not trust.
/// </summary>
public sealed class FederationPki : IDisposable
{
    /// <summary>Name the server certificate carries; clients dial 127.0.0.1 or localhost.</summary>
    public const string ServerDnsName = "localhost";

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private readonly TimeProvider _time;

    private FederationPki(X509Certificate2 ca, TimeProvider time)
    {
        Ca = ca;
        _time = time;
    }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>Creates a fresh CA. Two instances are two unrelated CAs.</summary>
    public static FederationPki Create(string commonName = "Seam Management CA", TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var now = time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=seam.ontai.dev", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // The CA's validity covers every leaf issued below, including the deliberately expired one.
        var ca = request.CreateSelfSigned(now.AddDays(-30), now.AddYears(5));
        return new FederationPki(ca, time);
    }

    /// <summary>Server certificate for the management gateway: DNS localhost, IP 127.0.0.1, serverAuth.</summary>
    public X509Certificate2 IssueServerCertificate()
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(ServerDnsName);
        san.AddIpAddress(IPAddress.Loopback);
        var now = _time.GetUtcNow();
        return Issue("CN=conductor-federation", san, ServerAuth, now.AddMinutes(-5), now.AddDays(30));
    }

    /// <summary>Tenant client certificate: the cluster id as CN and as the only DNS SAN, clientAuth.</summary>
    public X509Certificate2 IssueClientCertificate(string clusterId)
    {
        var now = _time.GetUtcNow();
        return IssueClientCertificate(clusterId, now.AddMinutes(-5), now.AddDays(30));
    }

    /// <summary>Tenant client certificate with an explicit validity window.</summary>
    public X509Certificate2 IssueClientCertificate(string clusterId, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(clusterId);
        return Issue($"CN={clusterId}", san, ClientAuth, notBefore, notAfter);
    }

    /// <summary>A client certificate that expired yesterday; otherwise valid.</summary>
    public X509Certificate2 IssueExpiredClientCertificate(string clusterId)
    {
        var now = _time.GetUtcNow();
        return IssueClientCertificate(clusterId, now.AddDays(-10), now.AddDays(-1));
    }

    /// <summary>A client certificate with the cluster id only in the CN and no SAN extension at all.</summary>
    public X509Certificate2 IssueClientCertificateWithoutSan(string clusterId)
    {
        var now = _time.GetUtcNow();
        return Issue($"CN={clusterId}", san: null, ClientAuth, now.AddMinutes(-5), now.AddDays(30));
    }

    /// <summary>
    /// Writes ca.crt, server.crt/server.key and client.crt/client.key (PEM; keys PKCS#8) for
    /// <paramref name="clusterId"/> into <paramref name="directory"/>, so another process can use them.
    /// </summary>
    public FederationPkiFiles WriteTo(string directory, string clusterId)
    {
        Directory.CreateDirectory(directory);
        var files = new FederationPkiFiles(
            CaCertificatePath: Path.Combine(directory, "ca.crt"),
            ServerCertificatePath: Path.Combine(directory, "server.crt"),
            ServerKeyPath: Path.Combine(directory, "server.key"),
            ClientCertificatePath: Path.Combine(directory, "client.crt"),
            ClientKeyPath: Path.Combine(directory, "client.key"));
        File.WriteAllText(files.CaCertificatePath, Ca.ExportCertificatePem());
        using var server = IssueServerCertificate();
        WritePem(server, files.ServerCertificatePath, files.ServerKeyPath);
        using var client = IssueClientCertificate(clusterId);
        WritePem(client, files.ClientCertificatePath, files.ClientKeyPath);
        return files;
    }

    /// <summary>Writes a certificate and its PKCS#8 private key as PEM files; the key file is owner-only.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        using var key = certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"Certificate {certificate.Subject} has no ECDSA private key to write");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>An HTTP handler for a TLS client that trusts exactly this CA (servers issued by <see cref="IssueServerCertificate"/>).</summary>
    public SocketsHttpHandler TrustingHandler() => new()
    {
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustsThisCa() },
    };

    /// <summary>A TLS client's server-certificate check that trusts exactly this CA.</summary>
    public System.Net.Security.RemoteCertificateValidationCallback TrustsThisCa()
    {
        var ca = Ca;
        return (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is X509Certificate2 server && chain.Build(server);
        };
    }

    public void Dispose() => Ca.Dispose();

    private X509Certificate2 Issue(
        string subject, SubjectAlternativeNameBuilder? san, Oid usage, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive INTEGER, as RFC 5280 requires
        using var issued = request.Create(Ca, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
