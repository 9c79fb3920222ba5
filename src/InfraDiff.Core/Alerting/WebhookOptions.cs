using InfraDiff.Reporting;
using InfraDiff.Validation;

namespace InfraDiff.Alerting;

/// <summary>Where and how a webhook sink posts, and how hard it tries.</summary>
public sealed record WebhookOptions : IValidatedOptions
{
    /// <summary>The webhook URL; its credentials and query string are never logged.</summary>
    public required Uri Url { get; set; }

    /// <summary>The body's format: one of <see cref="ReportFormats.WebhookNames"/> (generic, slack, teams, discord, json, …). Default: generic.</summary>
    public string Format { get; set; } = "generic";

    /// <summary>With a secret, each request carries X-InfraDiff-Timestamp and X-InfraDiff-Signature: sha256=HMAC(secret, "timestamp.body").</summary>
    public string? Secret { get; set; }

    /// <summary>How long one request may take. Default: 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most a generic body may weigh; past it the change list is cut (most severe kept), the patch left out, and "truncated" set. Default: 256 KB.</summary>
    public int MaxGenericBytes { get; set; } = GenericFormat.DefaultMaxBytes;

    /// <summary>Attempts per delivery before the alert goes back to the outbox. Default: 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first retry's delay; each next one doubles, with jitter. Default: 1 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, Retry-After included. Default: 60 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks every option; called by everything that takes these options, and by the options pattern at start.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take; the message names it.</exception>
    public void Validate() => OptionChecks.ThrowIfInvalid(this);

    IEnumerable<InvalidOptionException> IValidatedOptions.Problems() =>
        new[]
        {
            Url is null ? new InvalidOptionException("WebhookOptions.Url", "is required") : !Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https") ? new InvalidOptionException("WebhookOptions.Url", $"must be an absolute http or https URL (was {(Url.IsAbsoluteUri ? Url.Scheme + ": …" : "a relative URL")})") : null,
            OptionChecks.Positive("WebhookOptions.Timeout", Timeout),
            OptionChecks.Between("WebhookOptions.MaxAttempts", MaxAttempts, 1, 100),
            OptionChecks.NotNegative("WebhookOptions.BaseDelay", BaseDelay),
            MaxDelay < BaseDelay ? new InvalidOptionException("WebhookOptions.MaxDelay", "must not be shorter than BaseDelay") : null,
            OptionChecks.AtLeast("WebhookOptions.MaxGenericBytes", MaxGenericBytes, GenericFormat.MinimumBytes),
            Format is null || !ReportFormats.WebhookNames.Contains(Format) ? new InvalidOptionException("WebhookOptions.Format", $"must be one of {string.Join(", ", ReportFormats.WebhookNames)} (was '{Excerpt.Cut(Format ?? "")}')") : null,
        }.OfType<InvalidOptionException>();
}
