using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace Conductor.Silo.Federation.Gateway;

/// <summary>
/// The federation listener, in one place: HTTP/2 only, TLS 1.3 only, a client certificate required and verified
/// against the management CA by <see cref="ClientCertificateVerifier"/> during the handshake.
/// </summary>
internal sealed partial class FederationKestrelSetup(
    IOptions<FederationGatewayOptions> options, FederationCredentials credentials, ClientCertificateVerifier verifier,
    ILogger<FederationKestrelSetup> logger)
    : IConfigureOptions<KestrelServerOptions>
{
    private int _releaseReported;

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
            // After the handshake, before HTTP/2 reads: an idle tenant's connection holds no TLS record buffers.
            listen.Use(next => connection =>
            {
                if (connection.Features.Get<ISslStreamFeature>()?.SslStream is { } stream)
                {
                    ReportOnce(IdleTlsBuffers.Release(stream));
                }
                return next(connection);
            });
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

    private void ReportOnce(bool released)
    {
        if (Interlocked.Exchange(ref _releaseReported, 1) == 0)
        {
            if (released)
            {
                LogIdleBuffersReleased(logger);
            }
            else
            {
                LogIdleBuffersKept(logger, Environment.Version.ToString(), RuntimeInformation.OSDescription);
            }
        }
    }

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information,
        Message = "Federation connections release their idle TLS record buffers (OpenSSL SSL_MODE_RELEASE_BUFFERS)")]
    private static partial void LogIdleBuffersReleased(ILogger logger);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Warning,
        Message = "Federation connections keep their TLS record buffers (~34 KB each): releasing them is verified only on .NET 10 on Linux with libssl 3, and this is .NET {Runtime} on {Platform}")]
    private static partial void LogIdleBuffersKept(ILogger logger, string runtime, string platform);
}
