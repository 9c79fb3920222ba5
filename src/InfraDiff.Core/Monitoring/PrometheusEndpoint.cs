using System.Globalization;
using System.Net;
using System.Text;

namespace InfraDiff.Monitoring;

/// <summary>
/// Serves the <see cref="InfraDiffMetrics"/> meter over HTTP for Prometheus to scrape (<c>GET /metrics</c>, the text
/// format, the same metrics <see cref="PrometheusTextFile"/> writes) and a health check for a supervisor or a load
/// balancer (<c>GET /healthz</c>): 200 while the last successful watch cycle ended at most three intervals ago (before
/// the first, while the watcher started less than three intervals ago), else 503, with one line saying which.
/// </summary>
public sealed class PrometheusEndpoint : IDisposable
{
    /// <summary>How many intervals without a successful cycle make a watcher unhealthy.</summary>
    public const int StaleAfterIntervals = 3;

    private readonly HttpListener listener = new();
    private readonly PrometheusExposition exposition = new();
    private readonly TimeSpan interval;
    private readonly TimeProvider clock;
    private readonly DateTimeOffset started;
    private readonly Task serving;

    /// <summary>Listens on <paramref name="listen"/> ("127.0.0.1:9464", "[::1]:9464"; ":9464" or "0.0.0.0:9464" for every address).</summary>
    /// <param name="listen">The address and port.</param>
    /// <param name="interval">The watch interval the health check measures staleness in.</param>
    /// <param name="clock">The clock; the system's by default.</param>
    /// <exception cref="InfraDiffException">The address is not ADDR:PORT, or cannot be listened on (in use, not this host's); the message says which.</exception>
    public PrometheusEndpoint(string listen, TimeSpan interval, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var prefix = PrefixOf(listen) ?? throw new InvalidOptionException("--listen", Malformed(listen));
        this.interval = interval;
        this.clock = clock ?? TimeProvider.System;
        started = this.clock.GetUtcNow();
        listener.Prefixes.Add(prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException ex)
        {
            exposition.Dispose();
            throw new InfraDiffException($"--listen {listen}: {ex.Message}");
        }

        serving = Task.Run(ServeAsync);
    }

    /// <summary>What a listen address that is not ADDR:PORT is told.</summary>
    internal static string Malformed(string listen) => $"'{Excerpt.Cut(listen)}' is not ADDR:PORT: e.g. 127.0.0.1:9464, or :9464 for every address";

    /// <summary>The listener's prefix for ADDR:PORT ("http://127.0.0.1:9464/", "http://+:9464/" for every address), or null when it is not one.</summary>
    internal static string? PrefixOf(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon < 0 || !ushort.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            return null;
        }

        var host = listen[..colon];
        if (host is "" or "*" or "0.0.0.0" or "[::]")
        {
            return $"http://+:{port}/";
        }

        var valid = host.StartsWith('[') && host.EndsWith(']')
            ? Uri.CheckHostName(host[1..^1]) == UriHostNameType.IPv6
            : Uri.CheckHostName(host) is UriHostNameType.IPv4 or UriHostNameType.Dns;
        return valid ? $"http://{host}:{port}/" : null;
    }

    /// <summary>Whether the watcher is healthy, and the line that says why.</summary>
    internal (bool Healthy, string Line) Health()
    {
        var now = clock.GetUtcNow();
        var limit = StaleAfterIntervals * interval;
        var within = $"{StaleAfterIntervals} intervals of {Duration.Describe(interval)}";
        return exposition.LastSuccess is { } last
            ? now - last <= limit
                ? (true, $"ok: the last successful cycle ended {Duration.Describe(now - last)} ago")
                : (false, $"unhealthy: the last successful cycle ended {Duration.Describe(now - last)} ago, more than {within}")
            : now - started <= limit
                ? (true, $"ok: started {Duration.Describe(now - started)} ago, no cycle ended yet")
                : (false, $"unhealthy: no successful cycle in the {Duration.Describe(now - started)} since the watcher started, more than {within}");
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Respond(context);
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The scraper went away mid-answer: nothing to tell it.
            }
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var response = context.Response;
        var (status, type, text) = context.Request.HttpMethod is not ("GET" or "HEAD")
            ? (405, "text/plain; charset=utf-8", "only GET and HEAD are served\n")
            : context.Request.Url?.AbsolutePath switch
            {
                "/metrics" => (200, "text/plain; version=0.0.4; charset=utf-8", exposition.Text()),
                "/healthz" when Health() is var (healthy, line) => (healthy ? 200 : 503, "text/plain; charset=utf-8", line + "\n"),
                _ => (404, "text/plain; charset=utf-8", "not found: /metrics and /healthz are served\n"),
            };
        var body = Encoding.UTF8.GetBytes(text);
        response.StatusCode = status;
        response.ContentType = type;
        response.ContentLength64 = body.Length;
        if (context.Request.HttpMethod != "HEAD")
        {
            response.OutputStream.Write(body);
        }

        response.Close();
    }

    /// <summary>Stops listening and serving.</summary>
    public void Dispose()
    {
        listener.Close();
        exposition.Dispose();
        serving.Wait(TimeSpan.FromSeconds(5));
    }
}
