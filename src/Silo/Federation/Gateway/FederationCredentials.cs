using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>The gateway's server certificate and the management CA, loaded once from the PEM files.</summary>
public sealed class FederationCredentials : IDisposable
{
    public FederationCredentials(IOptions<FederationGatewayOptions> options)
    {
        var settings = options.Value;
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(settings.CaCertificatePath);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException(
                $"{FederationGatewayOptions.CaCertificatePathVariable} {settings.CaCertificatePath} could not be read as PEM: {e.Message}", e);
        }

        if (authorities.Count == 0)
        {
            throw new InvalidOperationException(
                $"{FederationGatewayOptions.CaCertificatePathVariable} {settings.CaCertificatePath} holds no certificate");
        }

        Authorities = authorities;
        try
        {
            ServerCertificate = X509Certificate2.CreateFromPemFile(settings.ServerCertificatePath, settings.ServerKeyPath);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{FederationGatewayOptions.ServerCertificatePathVariable} {settings.ServerCertificatePath} with " +
                $"{FederationGatewayOptions.ServerKeyPathVariable} {settings.ServerKeyPath} is not a usable certificate " +
                $"and key: {e.Message}", e);
        }
    }

    /// <summary>The management CA certificate(s); the only trust anchors for tenant certificates.</summary>
    public X509Certificate2Collection Authorities { get; }

    public X509Certificate2 ServerCertificate { get; }

    public void Dispose()
    {
        ServerCertificate.Dispose();
        foreach (var authority in Authorities)
        {
            authority.Dispose();
        }
    }
}
