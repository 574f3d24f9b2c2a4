using Conductor.Silo.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Permissions;

/// <summary>The PermissionService's TLS listener: HTTP/2 only (gRPC), mounted certificate.</summary>
internal sealed class PermissionServiceKestrelSetup(IOptions<PermissionServiceOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var settings = options.Value;
        if (settings.Enabled)
        {
            MountedCertificateListener.Listen(kestrel, settings.Port, settings.BindAddress, HttpProtocols.Http2,
                (settings.CertificatePath!, PermissionServiceOptions.CertificatePathEnvVar), (settings.KeyPath, PermissionServiceOptions.KeyPathEnvVar));
        }
    }
}
