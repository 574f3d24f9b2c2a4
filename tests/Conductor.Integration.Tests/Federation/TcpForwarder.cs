using System.Net;
using System.Net.Sockets;
using Conductor.TestSupport.Network;

namespace Conductor.Integration.Tests.Federation;

/// <summary>
/// A loopback TCP forwarder standing in for the Service in front of the management replicas: each new connection
/// goes to the current <see cref="Target"/> port; connections already made stay where they are. TLS passes through.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _target;

    public TcpForwarder(int target)
    {
        _target = target;
        Port = FreePort.Next();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Endpoint => $"https://localhost:{Port}";

    /// <summary>The port new connections are forwarded to.</summary>
    public int Target
    {
        get => Volatile.Read(ref _target);
        set => Volatile.Write(ref _target, value);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = PipeAsync(client, Target);
        }
    }

    private async Task PipeAsync(TcpClient client, int target)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, target, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return; // nothing listens there: the tenant sees the connection close and dials again
            }

            // Each direction is passed on until its end, then half-closed, so a replica's last bytes (the trailers
            // of a clean close) reach the tenant before its connection closes; the peer sees what the replica did.
            var up = CopyThenHalfCloseAsync(client, server);
            var down = CopyThenHalfCloseAsync(server, client);
            await Task.WhenAll(up, down);
        }
    }

    private async Task CopyThenHalfCloseAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset or a stop: close both ways so the other direction ends too.
            from.Client.Close();
            to.Client.Close();
        }
    }
}
