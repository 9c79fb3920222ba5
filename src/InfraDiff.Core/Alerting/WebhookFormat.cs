using System.Text.Json.Serialization;

namespace InfraDiff.Alerting;

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
