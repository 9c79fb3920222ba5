using System.Net;
using System.Net.Sockets;

namespace InfraDiff.Cli.Tests;

/// <summary>Ports for the servers a test starts (a watcher's endpoint, Prometheus, rsyslog) on loopback.</summary>
internal static class LoopbackPort
{
    /// <summary>A loopback port nothing listens on: the kernel's pick, released for the program that takes it.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
