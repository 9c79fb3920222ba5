using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using InfraDiff.Reporting;

namespace InfraDiff.Alerting;

/// <summary>
/// Sends each alert to syslog as Elastic Common Schema records (the <c>ecs</c> format: one message per change, then
/// one for the report), each an RFC 5424 message (facility daemon, severity by the change's, MSGID "change", "store",
/// "report" or "heartbeat"): to the local socket (<c>unix:///dev/log</c>, a datagram each), over UDP
/// (<c>udp://host:514</c>, RFC 5426), TCP (<c>tcp://host:514</c>) or TCP with TLS (<c>tls://host:6514</c>, RFC 5425),
/// the stream ones framed by octet counting (RFC 6587), so no byte of a message can end it early or start another.
/// </summary>
public sealed class SyslogAlertSink : IAlertSink
{
    /// <summary>Facility daemon (3), as RFC 5424 numbers it.</summary>
    private const int Facility = 3;

    private readonly Uri address;
    private readonly X509Certificate2Collection? trusted;
    private readonly TimeSpan timeout;

    /// <summary>A sink for <paramref name="address"/>.</summary>
    /// <param name="address">unix:///dev/log, udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT (default ports 514, 514, 514, 6514).</param>
    /// <param name="caFile">For tls: the PEM file of the certificate authority the server's certificate must chain to (default: the system's).</param>
    /// <param name="timeout">How long a connection and a send may take. Default: 10 s.</param>
    /// <exception cref="InvalidOptionException">The address has another scheme, or no host; the CA file cannot be read.</exception>
    public SyslogAlertSink(Uri address, string? caFile = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Problem(address.OriginalString, out _) is { } problem)
        {
            throw new InvalidOptionException("--syslog", problem);
        }

        this.address = address;
        this.timeout = timeout ?? TimeSpan.FromSeconds(10);
        if (caFile is not null)
        {
            trusted = [];
            try
            {
                trusted.ImportFromPemFile(caFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidOptionException("--syslog-ca", $"{caFile}: {ex.Message}");
            }

            if (trusted.Count == 0)
            {
                throw new InvalidOptionException("--syslog-ca", $"{caFile}: no certificate in it");
            }
        }
    }

    /// <summary>What is wrong with a syslog address as given, or null with the address.</summary>
    internal static string? Problem(string text, out Uri? address) =>
        !Uri.TryCreate(text, UriKind.Absolute, out address) || address.Scheme is not ("unix" or "udp" or "tcp" or "tls") ? $"'{Excerpt.Cut(text)}' is not unix:///PATH, udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT"
        : address.Scheme == "unix" ? (address.AbsolutePath.Length > 1 ? null : "unix:// needs the socket's path, e.g. unix:///dev/log")
        : address.Host.Length == 0 ? $"{address.Scheme}:// needs a host, e.g. {address.Scheme}://127.0.0.1:{DefaultPort(address.Scheme)}"
        : !string.IsNullOrEmpty(address.UserInfo) || address.AbsolutePath.Length > 1 || address.Query.Length > 0 ? $"{address.Scheme}://HOST:PORT takes no user, path or query"
        : null;

    private static int DefaultPort(string scheme) => scheme == "tls" ? 6514 : 514;

    private int Port => address.IsDefaultPort || address.Port < 0 ? DefaultPort(address.Scheme) : address.Port;

    /// <inheritdoc/>
    public string Id => address.Scheme == "unix" ? $"syslog unix://{address.AbsolutePath}" : $"syslog {address.Scheme}://{address.Host}:{Port}";

    /// <inheritdoc/>
    public async Task SendAsync(DriftAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var messages = EcsFormat.Records(alert).Select(r => Message(alert, r.Json, r.SyslogSeverity, r.Kind)).ToList();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            switch (address.Scheme)
            {
                case "unix":
                    using (var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
                    {
                        await socket.ConnectAsync(new UnixDomainSocketEndPoint(address.AbsolutePath), limit.Token).ConfigureAwait(false);
                        foreach (var message in messages)
                        {
                            await socket.SendAsync(message, SocketFlags.None, limit.Token).ConfigureAwait(false);
                        }
                    }

                    break;
                case "udp":
                    using (var udp = new UdpClient())
                    {
                        udp.Connect(address.Host, Port);
                        foreach (var message in messages)
                        {
                            await udp.SendAsync(message, limit.Token).ConfigureAwait(false);
                        }
                    }

                    break;
                default:
                    using (var tcp = new TcpClient())
                    {
                        await tcp.ConnectAsync(address.Host, Port, limit.Token).ConfigureAwait(false);
                        Stream stream = tcp.GetStream();
                        if (address.Scheme == "tls")
                        {
                            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                            await tls.AuthenticateAsClientAsync(TlsOptions(), limit.Token).ConfigureAwait(false);
                            stream = tls;
                        }

                        await using (stream.ConfigureAwait(false))
                        {
                            foreach (var message in messages)
                            {
                                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{message.Length} "), limit.Token).ConfigureAwait(false);
                                await stream.WriteAsync(message, limit.Token).ConfigureAwait(false);
                            }

                            await stream.FlushAsync(limit.Token).ConfigureAwait(false);
                        }
                    }

                    break;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AlertDeliveryException($"{Id}: no answer within {Duration.Describe(timeout)}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            throw new AlertDeliveryException($"{Id}: {ex.Message}", ex);
        }
    }

    private SslClientAuthenticationOptions TlsOptions()
    {
        var options = new SslClientAuthenticationOptions { TargetHost = address.Host };
        if (trusted is not null)
        {
            options.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(trusted);
        }

        return options;
    }

    /// <summary>
    /// "&lt;PRI&gt;1 TIMESTAMP HOSTNAME infradiff PROCID MSGID - MSG": the header's fields are printable ASCII without
    /// spaces (a host name that is not is sent as "-"), the record is the message.
    /// </summary>
    private static byte[] Message(DriftAlert alert, byte[] json, int severity, string kind)
    {
        var host = alert.Host.Length is > 0 and <= 255 && alert.Host.All(c => c is > ' ' and <= '~') ? alert.Host : "-";
        var header = string.Create(CultureInfo.InvariantCulture, $"<{(Facility * 8) + severity}>1 {alert.Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} {host} infradiff {Environment.ProcessId} {kind} - ");
        return [.. Encoding.ASCII.GetBytes(header), .. json];
    }
}
