using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Conductor.Silo.Tls;

/// <summary>
/// A cluster-local TLS listener whose certificate and key come from PEM files mounted from a Secret (the webhook, the
/// PermissionService). A file that cannot be used fails start-up with the variables that name it.
/// </summary>
internal static class MountedCertificateListener
{
    public static void Listen(
        KestrelServerOptions kestrel, int port, string? bindAddress, HttpProtocols protocols,
        (string Path, string Variable) certificate, (string? Path, string Variable) key)
    {
        X509Certificate2 loaded;
        try
        {
            loaded = X509Certificate2.CreateFromPemFile(certificate.Path, key.Path);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"{certificate.Variable} {certificate.Path} with {key.Variable} {key.Path} is not a usable certificate and key: {e.Message}", e);
        }
        Action<ListenOptions> configure = listen =>
        {
            listen.Protocols = protocols;
            listen.UseHttps(loaded);
        };
        if (bindAddress is null)
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(bindAddress), port, configure);
        }
    }
}
