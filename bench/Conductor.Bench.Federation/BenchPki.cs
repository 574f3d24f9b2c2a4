using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Conductor.TestSupport.Certificates;
using Grpc.Net.Client;

namespace Conductor.Bench.Federation;

/// <summary>Certificates on disk for the gateway, the tenants and the echo baseline, and mTLS channels to them.</summary>
public sealed class BenchPki(string directory) : IDisposable
{
    private readonly FederationPki _pki = FederationPki.Create();

    public string Directory { get; } = directory;

    private FederationPkiFiles? _server;

    /// <summary>CA and gateway certificate files (the client files in it are unused).</summary>
    public FederationPkiFiles Server => _server ??= _pki.WriteTo(Path.Combine(Directory, "server"), "unused");

    public FederationPkiFiles Write(string clusterId) => _pki.WriteTo(Path.Combine(Directory, clusterId), clusterId);

    /// <summary>Writes client certificate files for <paramref name="count"/> clusters named <c>{prefix}{i}</c> under one directory.</summary>
    public FederationPkiFiles WriteMany(string prefix, int count)
    {
        var files = Write(prefix + "0");
        for (var i = 1; i < count; i++)
        {
            using var certificate = _pki.IssueClientCertificate(prefix + i);
            FederationPki.WritePem(certificate, Path.Combine(Directory, prefix + "0", $"{prefix}{i}.crt"), Path.Combine(Directory, prefix + "0", $"{prefix}{i}.key"));
        }

        return files;
    }

    public static GrpcChannel Channel(string endpoint, string certificatePath, string keyPath, string caPath)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caPath);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, server, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return server is not null && chain.Build(X509CertificateLoader.LoadCertificate(server.GetRawCertData()));
                },
            },
        };
        return GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public void Dispose() => _pki.Dispose();
}
