using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// The federation listener, in one place: HTTP/2 only, TLS 1.3 only, a client certificate required and verified
/// against the management CA by <see cref="ClientCertificateVerifier"/> during the handshake. The connections' TLS and
/// HTTP/2 pipes take their blocks from <see cref="FederationBlockPool"/>, which keeps no more than 1 MiB idle.
/// </summary>
internal sealed class FederationKestrelSetup(
    IOptions<FederationGatewayOptions> options, FederationCredentials credentials, ClientCertificateVerifier verifier, FederationBlockPool pool)
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
        var poolFeature = new BlockPoolFeature(pool);
        Action<ListenOptions> configure = listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            // Before TLS: the TLS middleware and HTTP/2 both take their pool from this feature. The socket transport
            // below keeps Kestrel's pool: it comes from the process-wide IMemoryPoolFactory<byte>, with no per-listener setting.
            listen.Use(next => connection =>
            {
                connection.Features.Set<IMemoryPoolFeature>(poolFeature);
                return next(connection);
            });
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

    private sealed class BlockPoolFeature(FederationBlockPool pool) : IMemoryPoolFeature
    {
        public System.Buffers.MemoryPool<byte> MemoryPool => pool;
    }
}
