using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conductor.Bench.Agent;

/// <summary>
/// The federation mTLS files the connected scenario needs, as an operator's PKI would issue them: a management CA, the
/// gateway's server certificate (127.0.0.1 and localhost) and one tenant client certificate whose DNS SAN is the
/// cluster id (ECDSA P-256). Written as PEM under a temporary directory that is deleted on dispose. Not
/// tests/Conductor.TestSupport's FederationPki: this project is also the baseline app the bench measures, and a reference
/// to the test support (and through it the compiler and xunit) would ship inside that baseline's publish.
/// </summary>
internal sealed class BenchCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private BenchCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaPath => Path.Combine(Directory, "ca.crt");

    public string ServerCertificatePath => Path.Combine(Directory, "gateway.crt");

    public string ServerKeyPath => Path.Combine(Directory, "gateway.key");

    public string ClientCertificatePath => Path.Combine(Directory, "tenant.crt");

    public string ClientKeyPath => Path.Combine(Directory, "tenant.key");

    public static BenchCertificates Issue(string tenantClusterId)
    {
        var files = new BenchCertificates(System.IO.Directory.CreateTempSubdirectory("conductor-bench-agent-pki-").FullName);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=bench management CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-1), now.AddDays(1));
        File.WriteAllText(files.CaPath, ca.ExportCertificatePem());

        var server = new SubjectAlternativeNameBuilder();
        server.AddIpAddress(IPAddress.Loopback);
        server.AddDnsName("localhost");
        files.Leaf(ca, "CN=conductor-federation", server, ServerAuth, files.ServerCertificatePath, files.ServerKeyPath, now);
        var client = new SubjectAlternativeNameBuilder();
        client.AddDnsName(tenantClusterId);
        files.Leaf(ca, $"CN={tenantClusterId}", client, ClientAuth, files.ClientCertificatePath, files.ClientKeyPath, now);
        return files;
    }

    private void Leaf(X509Certificate2 ca, string subject, SubjectAlternativeNameBuilder names, Oid usage, string certificatePath, string keyPath, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.Create(ca, now.AddMinutes(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
