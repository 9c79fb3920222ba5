using System.Net.Sockets;
using System.Text;

namespace InfraDiff.IntegrationTests.Docker;

/// <summary>
/// A Unix socket in front of the real engine that passes every request and answer through, except the answer to a
/// container export: after its first <see cref="PassedBytes"/> bytes it either stops forwarding and holds the
/// connection open until the client closes it (an engine that stalls), or closes it (a stream cut off mid-archive). What it imitates is only the
/// fault; the engine behind it is real.
/// </summary>
public sealed class FaultyEngineProxy : IAsyncDisposable
{
    /// <summary>How much of an export's answer passes before the fault: the HTTP headers and the start of the archive.</summary>
    public const int PassedBytes = 64 << 10;

    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> held = [];
    private readonly string engineSocket;
    private readonly bool cut;
    private readonly Task accepting;

    /// <param name="engineSocket">The real engine's socket file.</param>
    /// <param name="socket">Where this proxy listens.</param>
    /// <param name="cut">Close the export's connection instead of stalling it.</param>
    public FaultyEngineProxy(string engineSocket, string socket, bool cut)
    {
        this.engineSocket = engineSocket;
        this.cut = cut;
        Socket = socket;
        listener.Bind(new UnixDomainSocketEndPoint(socket));
        listener.Listen();
        accepting = AcceptAsync();
    }

    /// <summary>The proxy's socket file.</summary>
    public string Socket { get; }

    public string Endpoint => $"unix://{Socket}";

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await engine.ConnectAsync(new UnixDomainSocketEndPoint(engineSocket));
            lock (held)
            {
                held.Add(client);
                held.Add(engine);
            }

            var exporting = new TaskCompletionSource();
            _ = Task.Run(() => PumpRequestsAsync(client, engine, exporting));
            _ = Task.Run(() => PumpAnswersAsync(engine, client, exporting.Task));
        }
    }

    /// <summary>Client to engine, noting when a request asks for an export; the client's close is passed on (the engine then ends the export).</summary>
    private async Task PumpRequestsAsync(Socket client, Socket engine, TaskCompletionSource exporting)
    {
        var buffer = new byte[64 << 10];
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, stop.Token)) > 0)
            {
                if (Encoding.ASCII.GetString(buffer, 0, read).Contains("/export ", StringComparison.Ordinal))
                {
                    exporting.TrySetResult();
                }

                await engine.SendAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        engine.Dispose();
    }

    /// <summary>Engine to client, until an export's answer has passed <see cref="PassedBytes"/>; then the fault (the engine's side is closed either way, as when a client gives up).</summary>
    private async Task PumpAnswersAsync(Socket engine, Socket client, Task exporting)
    {
        var buffer = new byte[16 << 10];
        long passed = 0;
        try
        {
            int read;
            while ((read = await engine.ReceiveAsync(buffer, stop.Token)) > 0)
            {
                if (exporting.IsCompleted)
                {
                    read = (int)Math.Min(read, PassedBytes - passed);
                    passed += read;
                }

                await client.SendAsync(buffer.AsMemory(0, read), stop.Token);
                if (exporting.IsCompleted && passed >= PassedBytes)
                {
                    engine.Dispose();
                    if (cut)
                    {
                        client.Shutdown(SocketShutdown.Both);
                        client.Close();
                    }

                    return;
                }
            }

            // The engine answers with "Connection: close" and closes: the client reads to that end.
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        await accepting;
        lock (held)
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }

        File.Delete(Socket);
        stop.Dispose();
    }
}
