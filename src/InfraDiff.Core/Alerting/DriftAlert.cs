using System.Text.Json.Serialization;
using InfraDiff.Diffing;

namespace InfraDiff.Alerting;

/// <summary>One alert about one drift report, with the key a receiver uses to drop a duplicate delivery.</summary>
/// <param name="IdempotencyKey">Stable across re-sends of this alert.</param>
/// <param name="Host">The host that drifted.</param>
/// <param name="Time">When the later snapshot was taken.</param>
/// <param name="Report">What drifted.</param>
public sealed record DriftAlert(string IdempotencyKey, string Host, DateTimeOffset Time, DriftReport Report)
{
    /// <summary>
    /// The store journal's sequence number and head hash when the alert was made (watch only): a receiver that
    /// remembers the last one sees a rollback (a lower number, or the same number with another head) or a gap.
    /// </summary>
    public JournalHead? Journal { get; init; }

    /// <summary>
    /// A heartbeat, not a drift: it carries no change, only the journal's head, so a receiver notices a watcher that
    /// stopped (no heartbeat) or a store rolled back. Only the generic format and the stdout sink deliver it; chat
    /// and email sinks skip it, as they never post an alert without a change.
    /// </summary>
    public bool Heartbeat { get; init; }
}


/// <summary>Delivers alerts somewhere: a webhook, a chat, a file. One method, like a logging sink.</summary>
public interface IAlertSink
{
    /// <summary>A short name for logs ("webhook https://hooks.example/…"), never carrying a secret.</summary>
    string Name { get; }

    /// <summary>Delivers the alert, or throws <see cref="AlertDeliveryException"/> once it has given up.</summary>
    Task SendAsync(DriftAlert alert, CancellationToken cancellationToken = default);
}

/// <summary>
/// An alert a sink could not deliver. The monitor keeps it in the outbox and tries again later, unless
/// <see cref="Permanent"/>: the receiver refused it for good (a 4xx other than 408 and 429), and sending it again
/// would only block the alerts behind it, so it is set aside as dead.
/// </summary>
public sealed class AlertDeliveryException(string message, Exception? innerException = null, bool permanent = false) : InfraDiffException(message, innerException)
{
    /// <summary>Whether the receiver refused the alert for good.</summary>
    public bool Permanent { get; } = permanent;
}

/// <summary>The body formats a webhook sink can post.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WebhookFormat>))]
public enum WebhookFormat
{
    /// <summary>infradiff's own JSON: host, time, per-category summary, changes, RFC 6902 patch.</summary>
    [JsonStringEnumMemberName("generic")]
    Generic,

    /// <summary>A Slack incoming webhook: Block Kit with a text fallback (Mattermost and Rocket.Chat show the text).</summary>
    [JsonStringEnumMemberName("slack")]
    Slack,

    /// <summary>A Microsoft Teams webhook made through Workflows: an Adaptive Card (1.4) in a message envelope.</summary>
    [JsonStringEnumMemberName("teams")]
    Teams,

    /// <summary>A Discord webhook: an embed, with mentions disabled.</summary>
    [JsonStringEnumMemberName("discord")]
    Discord,
}

