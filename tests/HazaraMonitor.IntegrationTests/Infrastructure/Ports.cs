using System.Net;
using System.Net.Sockets;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>Loopback ports for the servers a test starts.</summary>
public static class Ports
{
    /// <summary>A port free on 127.0.0.1 now (the OS picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A port free on 127.0.0.1 whose Redis Cluster bus port (10,000 higher) is free too.</summary>
    public static int FreeWithClusterBus()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 30_000);
            if (IsFree(port) && IsFree(port + 10_000))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free pair of loopback ports for a Redis Cluster node.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
