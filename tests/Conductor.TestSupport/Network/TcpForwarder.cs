using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Conductor.TestSupport.Network;

/// <summary>
/// A loopback TCP forwarder standing in for the Service in front of the management replicas. Each new connection
/// goes to the next backend in turn; a backend that refuses the connection is marked down and the connection tries
/// the next one, so a dead replica stops receiving connections (as its endpoint leaves a Service). A down backend is
/// tried again only when no live one answers, and is live again once it does. Connections already made stay where
/// they are. TLS passes through.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<int, int> _open = new();
    private long _generation;
    private List<int> _live;
    private List<int> _down = [];
    private int _turn;

    public TcpForwarder(params int[] backends)
    {
        _live = [.. backends];
        Port = FreePort.Next();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Endpoint => $"https://localhost:{Port}";

    /// <summary>The only backend new connections go to; setting it replaces every backend.</summary>
    public int Target
    {
        get
        {
            lock (_lock)
            {
                return _live.Concat(_down).First();
            }
        }

        set
        {
            lock (_lock)
            {
                (_live, _down) = ([value], []);
            }
        }
    }

    /// <summary>Backends that answered their last connection (or were never tried).</summary>
    public IReadOnlyList<int> LiveBackends
    {
        get
        {
            lock (_lock)
            {
                return [.. _live];
            }
        }
    }

    /// <summary>Starts routing new connections to <paramref name="port"/> too.</summary>
    public void Add(int port)
    {
        lock (_lock)
        {
            _down.Remove(port);
            if (!_live.Contains(port))
            {
                _live.Add(port);
            }
        }
    }

    /// <summary>Stops routing new connections to <paramref name="port"/>, as a Service drops a terminating pod.</summary>
    public void Remove(int port)
    {
        lock (_lock)
        {
            _live.Remove(port);
            _down.Remove(port);
        }
    }

    /// <summary>
    /// Every connection open now stops carrying bytes in either direction and is never closed, as when the node
    /// behind it is lost without a FIN or RST; connections made afterwards work normally.
    /// </summary>
    public void FreezeOpenConnections() => Interlocked.Increment(ref _generation);

    /// <summary>Connections currently forwarded to <paramref name="port"/>.</summary>
    public int OpenConnections(int port) => _open.GetValueOrDefault(port);

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
            _ = PipeAsync(client);
        }
    }

    /// <summary>Live backends from the next turn on, then the down ones.</summary>
    private List<int> Candidates()
    {
        lock (_lock)
        {
            var turn = _live.Count == 0 ? 0 : _turn % _live.Count;
            _turn = turn + 1;
            return [.. _live.Skip(turn), .. _live.Take(turn), .. _down];
        }
    }

    private void Mark(int port, bool answered)
    {
        lock (_lock)
        {
            if (!_live.Contains(port) && !_down.Contains(port))
            {
                return; // removed meanwhile
            }

            _live.Remove(port);
            _down.Remove(port);
            (answered ? _live : _down).Add(port);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        {
            foreach (var target in Candidates())
            {
                using var server = new TcpClient();
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, target, _stop.Token);
                }
                catch (SocketException)
                {
                    Mark(target, answered: false);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Mark(target, answered: true);
                _open.AddOrUpdate(target, 1, (_, n) => n + 1);
                try
                {
                    // Each direction is passed on until its end, then half-closed, so a replica's last bytes (the
                    // trailers of a clean close) reach the tenant before its connection closes.
                    var generation = Interlocked.Read(ref _generation);
                    var up = CopyThenHalfCloseAsync(client, server, generation);
                    var down = CopyThenHalfCloseAsync(server, client, generation);
                    await Task.WhenAll(up, down);
                }
                finally
                {
                    _open.AddOrUpdate(target, 0, (_, n) => n - 1);
                }

                return;
            }

            // Nothing listens anywhere: the tenant sees the connection close and dials again.
        }
    }

    private async Task CopyThenHalfCloseAsync(TcpClient from, TcpClient to, long generation)
    {
        try
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await from.GetStream().ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (Interlocked.Read(ref _generation) == generation)
                {
                    await to.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }

                // else: frozen — the bytes are lost on the way, as to a vanished node; the connection stays open.
            }

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
