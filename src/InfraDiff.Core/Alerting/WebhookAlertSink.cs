using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using InfraDiff.Redaction;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Alerting;

/// <summary>
/// Posts alerts to a webhook. Retries with exponential backoff and jitter on connection errors, timeouts,
/// 5xx and 429 (honouring Retry-After); never on other 4xx, which a retry cannot fix.
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
    private readonly HttpClient client;
    private readonly ILogger logger;
    private readonly TimeProvider clock;

    /// <summary>Creates a sink posting to <see cref="WebhookOptions.Url"/>.</summary>
    public WebhookAlertSink(WebhookOptions options, ILogger<WebhookAlertSink>? logger = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        this.clock = clock ?? TimeProvider.System;
        client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        // The short hash tells two webhooks on one host apart (the outbox records deliveries by name) without revealing the path's token.
        var identity = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.Url.OriginalString)))[..8];
        Name = $"{options.Format.ToString().ToLowerInvariant()} webhook {SecretRedactor.RedactUrl(options.Url)} #{identity}";
    }

    /// <inheritdoc />
    public string Name { get; }

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
        if (alert.Heartbeat && options.Format != WebhookFormat.Generic)
        {
            return;
        }

        var body = AlertPayloads.Body(alert, options.Format, options.MaxGenericBytes);
        string? lastProblem = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add(IdempotencyHeader, alert.IdempotencyKey);
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("infradiff", Pipeline.Snapshotter.ToolVersion.Split(' ')[1]));
                if (!string.IsNullOrEmpty(options.Secret))
                {
                    var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                    request.Headers.Add(TimestampHeader, timestamp);
                    request.Headers.Add(SignatureHeader, Sign(options.Secret, timestamp, body));
                }

                using var response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                lastProblem = $"answered {(int)response.StatusCode} {response.ReasonPhrase}";
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout) && (int)response.StatusCode < 500)
                {
                    var said = await ResponseExcerptAsync(response, timeout.Token).ConfigureAwait(false);
                    throw new AlertDeliveryException($"{Name} {lastProblem}{said}; refused for good, not retried", permanent: true);
                }

                retryAfter = RetryAfter(response);
            }
            catch (HttpRequestException ex)
            {
                lastProblem = SecretRedactor.RedactUrls(ex.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastProblem = $"no answer within {options.Timeout.TotalSeconds:0.#} s";
            }

            if (attempt < options.MaxAttempts)
            {
                var delay = retryAfter ?? Backoff(attempt);
                delay = delay > options.MaxDelay ? options.MaxDelay : delay;
                AlertLog.Retrying(logger, Name, attempt, lastProblem, delay.TotalSeconds);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new AlertDeliveryException($"{Name}: gave up after {options.MaxAttempts} attempts ({lastProblem})");
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

    /// <summary>Exponential backoff with jitter: between half and all of base × 2^(attempt−1).</summary>
    private TimeSpan Backoff(int attempt)
    {
        var full = options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        return TimeSpan.FromMilliseconds(full * (0.5 + (Random.Shared.NextDouble() / 2)));
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
    public void Dispose() => client.Dispose();
}
