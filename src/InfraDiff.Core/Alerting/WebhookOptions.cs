namespace InfraDiff.Alerting;

/// <summary>Where and how a webhook sink posts, and how hard it tries.</summary>
public sealed record WebhookOptions
{
    /// <summary>The webhook URL; its credentials and query string are never logged.</summary>
    public required Uri Url { get; init; }

    /// <summary>The body format. Default: generic.</summary>
    public WebhookFormat Format { get; init; } = WebhookFormat.Generic;

    /// <summary>With a secret, each request carries X-InfraDiff-Timestamp and X-InfraDiff-Signature: sha256=HMAC(secret, "timestamp.body").</summary>
    public string? Secret { get; init; }

    /// <summary>How long one request may take. Default: 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most a generic body may weigh; past it the change list is cut (most severe kept), the patch left out, and "truncated" set. Default: 256 KB.</summary>
    public int MaxGenericBytes { get; init; } = AlertPayloads.DefaultMaxGenericBytes;

    /// <summary>Attempts per delivery before the alert goes back to the outbox. Default: 4.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first retry's delay; each next one doubles, with jitter. Default: 1 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, Retry-After included. Default: 60 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
}
