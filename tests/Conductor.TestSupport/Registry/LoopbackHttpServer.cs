using System.Net;
using Conductor.TestSupport.Network;

namespace Conductor.TestSupport.Registry;

/// <summary>A tiny HTTP server on 127.0.0.1 that answers every request with a handler; counts requests.</summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    private LoopbackHttpServer(int port, Func<HttpListenerContext, Task> handler)
    {
        Port = port;
        _handler = handler;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The listening port.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Starts a server on a free port.</summary>
    public static LoopbackHttpServer Start(Func<HttpListenerContext, Task> handler) => new(FreePort.Next(), handler);

    /// <summary>A server that answers every request with <paramref name="status"/> and an OCI error body.</summary>
    public static LoopbackHttpServer AlwaysStatus(HttpStatusCode status) => Start(async context =>
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        var body = """{"errors":[{"code":"UNAVAILABLE","message":"test server always fails"}]}"""u8.ToArray();
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            // Close alone: the managed HttpListener's Stop-then-Close looks the endpoint up again after Stop released
            // it, and re-binds the port, failing with "Address already in use" when another test took it meanwhile.
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // The port is already released; nothing is left to clean up.
        }
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(context);
                }
                catch (Exception)
                {
                    context.Response.StatusCode = 500;
                    context.Response.Close();
                }
            });
        }
    }
}
