using System.Net;
using System.Net.Sockets;

namespace Conductor.TestSupport.Registry;

/// <summary>Finds a loopback TCP port nobody listens on right now.</summary>
public static class FreePort
{
    /// <summary>A port the OS just handed out and released; a tiny race with other processes is accepted.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
