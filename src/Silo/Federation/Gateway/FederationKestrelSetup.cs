using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// The federation listener, in one place: HTTP/2 only, TLS 1.3 only, a client certificate required and verified
/// against the management CA by <see cref="ClientCertificateVerifier"/> during the handshake.
/// </summary>
internal sealed class FederationKestrelSetup(
    IOptions<FederationGatewayOptions> options, FederationCredentials credentials, ClientCertificateVerifier verifier)
    : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var settings = options.Value;
        var serverCertificate = SslStreamCertificateContext.Create(credentials.ServerCertificate, additionalCertificates: null);
        // Per-connection TLS options (rather than HttpsConnectionAdapterOptions) so the certificate check knows the
        // peer address and can log it with every refusal.
        var tls = new TlsHandshakeCallbackOptions
        {
            OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = serverCertificate,
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificateRequired = true,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                RemoteCertificateValidationCallback = verifier.CallbackFor(context.Connection.RemoteEndPoint),
            }),
        };
        Action<ListenOptions> configure = listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(tls);
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
