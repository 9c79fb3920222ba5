using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using InfraDiff.Redaction;
using InfraDiff.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Alerting;

/// <summary>
/// Posts alerts to a webhook. Retries (<see cref="WebhookOptions.MaxAttempts"/>) with exponential backoff and jitter on
/// connection errors, timeouts, 5xx, 408 and 429 (honouring Retry-After); never on other 4xx, which a retry cannot fix:
/// those throw an <see cref="AlertDeliveryException"/> marked permanent.
/// </summary>
public sealed class WebhookAlertSink : IAlertSink, IDisposable
{
    /// <summary>The header carrying the alert's idempotency key.</summary>
    public const string IdempotencyHeader = "X-InfraDiff-Idempotency-Key";

    /// <summary>The header carrying the Unix time the signature covers.</summary>
    public const string TimestampHeader = "X-InfraDiff-Timestamp";

    /// <summary>The header carrying "sha256=" and the hex HMAC of "timestamp.body".</summary>
    public const string SignatureHeader = "X-InfraDiff-Signature";

    private readonly WebhookOptions options;
    private readonly Func<HttpClient> client;
    private readonly HttpClient? ownClient;
    private readonly ILogger logger;
    private readonly TimeProvider clock;
    private readonly DeliveryRetry retry;

    /// <summary>
    /// Creates a sink posting to <see cref="WebhookOptions.Url"/>: through an HTTP client of its own, or, given
    /// <paramref name="httpClientFactory"/>, through its client named <paramref name="httpClientName"/>, so that client's
    /// handlers apply (a proxy, a client certificate, a resilience pipeline). The sink enforces
    /// <see cref="WebhookOptions.Timeout"/> per request and its own retries either way; a client's shorter timeout counts
    /// as a failed attempt.
    /// </summary>
    /// <exception cref="InvalidOptionException">An option is invalid (not an http or https URL, no attempt allowed, …).</exception>
    /// <exception cref="ArgumentException">A factory without a client name.</exception>
    public WebhookAlertSink(WebhookOptions options, ILogger<WebhookAlertSink>? logger = null, TimeProvider? clock = null, IHttpClientFactory? httpClientFactory = null, string? httpClientName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (httpClientFactory is not null && string.IsNullOrEmpty(httpClientName))
        {
            throw new ArgumentException("a client factory needs the name of the client to use", nameof(httpClientName));
        }

        options.Validate();
        this.options = options;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        this.clock = clock ?? TimeProvider.System;
        retry = new DeliveryRetry(options.MaxAttempts, options.BaseDelay, options.MaxDelay, this.clock);
        if (httpClientFactory is null)
        {
            ownClient = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            client = () => ownClient;
        }
        else
        {
            client = () => httpClientFactory.CreateClient(httpClientName!);
        }

        // The short hash tells two webhooks on one host apart (the outbox records deliveries by id) without revealing the path's token.
        var identity = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.Url.OriginalString)))[..8];
        Id = $"{options.Format} webhook {SecretRedactor.RedactUrl(options.Url)} #{identity}";
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>The signature header value for a body sent at <paramref name="timestamp"/>: what a receiver recomputes to verify.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[written] = (byte)'.';
        body.CopyTo(signed.AsSpan(written + 1));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <inheritdoc />
    public async Task SendAsync(DriftAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Heartbeat && options.Format != "generic")
        {
            return;
        }

        var body = ReportFormats.Render(options.Format, alert, new ReportFormatOptions { Budget = options.MaxGenericBytes });
        var gaveUp = await retry.RunAsync(
            (_, token) => AttemptAsync(alert, body, token),
            (attempt, problem, delay) => InfraDiffLog.Retrying(logger, Id, attempt, problem, delay.TotalSeconds),
            cancellationToken).ConfigureAwait(false);
        if (gaveUp is not null)
        {
            throw new AlertDeliveryException($"{Id}: gave up after {options.MaxAttempts} attempt{(options.MaxAttempts == 1 ? "" : "s")} ({gaveUp})");
        }
    }

    /// <summary>One POST: null when delivered, a failed attempt to retry, or an exception when refused for good.</summary>
    private async Task<FailedAttempt?> AttemptAsync(DriftAlert alert, byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(IdempotencyHeader, alert.IdempotencyKey);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("infradiff", Tool.Version));
            if (!string.IsNullOrEmpty(options.Secret))
            {
                var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                request.Headers.Add(TimestampHeader, timestamp);
                request.Headers.Add(SignatureHeader, Sign(options.Secret, timestamp, body));
            }

            using var response = await client().SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            var problem = $"answered {(int)response.StatusCode} {response.ReasonPhrase}";
            if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout) && (int)response.StatusCode < 500)
            {
                var said = await ResponseExcerptAsync(response, timeout.Token).ConfigureAwait(false);
                throw new AlertDeliveryException($"{Id} {problem}{said}; refused for good, not retried", permanent: true);
            }

            return new FailedAttempt(problem, RetryAfter(response));
        }
        catch (HttpRequestException ex)
        {
            return new FailedAttempt(SecretRedactor.RedactUrls(ex.Message));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new FailedAttempt($"no answer within {options.Timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>The start of what a refusing receiver said, on one line, so the operator sees why.</summary>
    private static async Task<string> ResponseExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var line = string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
            line = new string(line.Where(c => !char.IsControl(c)).Take(200).ToArray());
            return line.Length == 0 ? "" : $" ({line})";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return "";
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta;
        }

        return header.Date is { } date ? date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero : null;
    }

    /// <inheritdoc />
    public void Dispose() => ownClient?.Dispose();
}
