using System.Net;
using System.Net.Sockets;

namespace Conductor.TestSupport.Network;

/// <summary>Finds a loopback TCP port nobody is listening on, for servers a test starts itself.</summary>
/// <remarks>
/// Ports come from below the kernel's ephemeral range (32768–60999 by default): a port the kernel hands out for
/// port 0 is also what it hands the next outgoing connection, so between this check and the server's bind a client
/// socket of a parallel test could take it ("address already in use"). Each process walks the range from its own
/// random start, so parallel test processes rarely meet, and a port is only returned after a bind proves it free.
/// </remarks>
public static class FreePort
{
    private const int First = 20_000;
    private const int Count = 12_000; // up to 31 999, below the ephemeral range
    private static int _next = Random.Shared.Next(Count);

    public static int Next()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }

        throw new InvalidOperationException($"No free loopback port in {First}–{First + Count - 1}");
    }
}
