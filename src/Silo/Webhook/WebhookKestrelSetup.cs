using Conductor.Silo.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Webhook;

/// <summary>The webhook's HTTPS listener: HTTP/1.1 and HTTP/2 (the API server speaks either), mounted certificate.</summary>
internal sealed class WebhookKestrelSetup(IOptions<WebhookOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var settings = options.Value;
        if (settings.Enabled)
        {
            MountedCertificateListener.Listen(kestrel, settings.Port, settings.BindAddress, HttpProtocols.Http1AndHttp2,
                (settings.CertificatePath!, WebhookOptions.CertificatePathEnvVar), (settings.KeyPath, WebhookOptions.KeyPathEnvVar));
        }
    }
}
