using System.Net;
using System.Net.Sockets;

namespace Fanout.Tests.Cluster.Support;

internal static class FreePorts
{
    /// <summary>A port nothing listens on right now (the OS picks it; a race with other processes is possible but rare).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
