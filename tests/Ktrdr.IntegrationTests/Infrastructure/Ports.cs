using System.Net;
using System.Net.Sockets;

namespace Ktrdr.Tests.Infrastructure;

internal static class Ports
{
    /// <summary>A TCP port free on loopback right now (the OS picks it).</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
