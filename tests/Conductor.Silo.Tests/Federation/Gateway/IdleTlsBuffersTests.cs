using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Conductor.Silo.Federation.Gateway;
using Conductor.TestSupport.Certificates;

namespace Conductor.Silo.Tests.Federation.Gateway;

/// <summary>
/// SSL_MODE_RELEASE_BUFFERS on a real TLS 1.3 connection (OpenSSL under SslStream, loopback sockets): the mode is read
/// back from OpenSSL, and the connection keeps carrying data after its buffers were released.
/// </summary>
public sealed class IdleTlsBuffersTests
{
    private const long ReleaseBuffers = 0x10;

    [Fact]
    public async Task Release_AuthenticatedServerStream_SetsTheModeAndDataStillFlows()
    {
        Assert.True(IdleTlsBuffers.Supported, "this suite runs on .NET 10 on Linux, where the release is verified");
        await using var pair = await TlsPair.ConnectAsync();

        var before = IdleTlsBuffers.ModeOf(pair.Server);
        var released = IdleTlsBuffers.Release(pair.Server);
        var after = IdleTlsBuffers.ModeOf(pair.Server);

        Assert.NotNull(before);
        Assert.Equal(0, before.Value & ReleaseBuffers);
        Assert.True(released);
        Assert.Equal(ReleaseBuffers, after!.Value & ReleaseBuffers);
        // Idle, then both directions again: the buffers come back when a record arrives or leaves.
        for (var round = 0; round < 3; round++)
        {
            var payload = new byte[40_000];
            Random.Shared.NextBytes(payload);
            await pair.Client.WriteAsync(payload, TestContext.Current.CancellationToken);
            var received = new byte[payload.Length];
            await pair.Server.ReadExactlyAsync(received, TestContext.Current.CancellationToken);
            await pair.Server.WriteAsync(received, TestContext.Current.CancellationToken);
            var echoed = new byte[payload.Length];
            await pair.Client.ReadExactlyAsync(echoed, TestContext.Current.CancellationToken);
            Assert.Equal(payload, echoed);
        }
    }

    [Fact]
    public async Task Release_StreamNotYetAuthenticated_ChangesNothing()
    {
        using var left = new MemoryStream();
        await using var unauthenticated = new SslStream(left);

        Assert.Null(IdleTlsBuffers.ModeOf(unauthenticated));
        Assert.False(IdleTlsBuffers.Release(unauthenticated));
    }

    private sealed class TlsPair : IAsyncDisposable
    {
        private readonly FederationPki _pki;
        private readonly X509Certificate2 _serverCertificate;
        private readonly Socket _clientSocket;
        private readonly Socket _serverSocket;

        private TlsPair(FederationPki pki, X509Certificate2 serverCertificate,
            Socket client, Socket server, SslStream clientStream, SslStream serverStream)
        {
            _pki = pki;
            _serverCertificate = serverCertificate;
            _clientSocket = client;
            _serverSocket = server;
            Client = clientStream;
            Server = serverStream;
        }

        public SslStream Client { get; }

        public SslStream Server { get; }

        public static async Task<TlsPair> ConnectAsync()
        {
            var pki = FederationPki.Create();
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var accepting = listener.AcceptSocketAsync();
            await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
            var server = await accepting;
            var serverStream = new SslStream(new NetworkStream(server, ownsSocket: false));
            var clientStream = new SslStream(new NetworkStream(client, ownsSocket: false));
            var serverCertificate = pki.IssueServerCertificate();
            await Task.WhenAll(
                serverStream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = serverCertificate,
                    EnabledSslProtocols = SslProtocols.Tls13,
                }),
                clientStream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = FederationPki.ServerDnsName,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = pki.TrustsThisCa(),
                }));
            return new TlsPair(pki, serverCertificate, client, server, clientStream, serverStream);
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
            _clientSocket.Dispose();
            _serverSocket.Dispose();
            _serverCertificate.Dispose();
            _pki.Dispose();
        }
    }
}
