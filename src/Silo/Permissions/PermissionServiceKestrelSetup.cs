using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Permissions;

/// <summary>The PermissionService's TLS listener: HTTP/2 only (gRPC), the certificate from the mounted PEM files.</summary>
internal sealed class PermissionServiceKestrelSetup(IOptions<PermissionServiceOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(settings.CertificatePath!, settings.KeyPath);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{PermissionServiceOptions.CertificatePathEnvVar} {settings.CertificatePath} with {PermissionServiceOptions.KeyPathEnvVar} {settings.KeyPath} " +
                $"is not a usable certificate and key: {e.Message}", e);
        }
        Action<ListenOptions> configure = listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(certificate);
        };
        if (settings.BindAddress is null)
        {
            kestrel.ListenAnyIP(settings.Port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(settings.BindAddress), settings.Port, configure);
        }
    }
}
