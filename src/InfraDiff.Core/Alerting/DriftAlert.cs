using System.Text.Json;
using System.Text.Json.Serialization;
using InfraDiff.Diffing;

namespace InfraDiff.Alerting;

/// <summary>One alert about one drift report, with the key a receiver uses to drop a duplicate delivery.</summary>
/// <param name="IdempotencyKey">Stable across re-sends of this alert.</param>
/// <param name="Host">The host that drifted.</param>
/// <param name="Time">When the later snapshot was taken.</param>
/// <param name="Report">What drifted.</param>
public sealed record DriftAlert(string IdempotencyKey, string Host, DateTimeOffset Time, DriftReport Report);

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

    /// <summary>A Slack incoming webhook (Mattermost and Rocket.Chat accept the same).</summary>
    [JsonStringEnumMemberName("slack")]
    Slack,

    /// <summary>A Microsoft Teams incoming webhook (MessageCard).</summary>
    [JsonStringEnumMemberName("teams")]
    Teams,

    /// <summary>A Discord webhook.</summary>
    [JsonStringEnumMemberName("discord")]
    Discord,
}

/// <summary>Builds the body each format posts; the same text for the chat formats.</summary>
public static class AlertPayloads
{
    private const int MaxChatLines = 20;

    private static readonly JsonSerializerOptions Options = new(Snapshots.SnapshotJson.Options);

    /// <summary>The JSON body for <paramref name="format"/>.</summary>
    public static byte[] Body(DriftAlert alert, WebhookFormat format)
    {
        ArgumentNullException.ThrowIfNull(alert);
        object body = format switch
        {
            WebhookFormat.Slack => new { text = ChatText(alert, "*", "`") },
            WebhookFormat.Teams => new Dictionary<string, object>
            {
                ["@type"] = "MessageCard",
                ["@context"] = "https://schema.org/extensions",
                ["summary"] = Title(alert),
                ["text"] = ChatText(alert, "**", "`").Replace("\n", "<br>", StringComparison.Ordinal),
            },
            WebhookFormat.Discord => new { content = Truncate(ChatText(alert, "**", "`"), 2000) },
            _ => new GenericPayload(alert.IdempotencyKey, alert.Host, alert.Time, alert.Report.Summary, alert.Report.Changes.Select(c => new GenericChange(c.Category, c.Op, c.Path, c.Severity, c.Summary)).ToList(), alert.Report.Unknown, alert.Report.Patch),
        };
        return JsonSerializer.SerializeToUtf8Bytes(body, Options);
    }

    private static string Title(DriftAlert alert) =>
        $"infradiff: {alert.Report.Changes.Count} change{(alert.Report.Changes.Count == 1 ? "" : "s")} on {alert.Host}";

    private static string ChatText(DriftAlert alert, string bold, string code)
    {
        var lines = new List<string> { $"{bold}{Title(alert)}{bold} ({alert.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)" };
        foreach (var (category, summary) in alert.Report.Summary)
        {
            lines.Add($"{code}{category}{code}: {summary.Added} added, {summary.Removed} removed, {summary.Changed} changed");
        }

        // Most severe first; what a package upgrade accounts for is one line per package, after everything else.
        var reportLines = ReportLine.Collapse(alert.Report.Changes.OrderByDescending(c => c.Severity).ToList());
        lines.AddRange(reportLines.Take(MaxChatLines).Select(l => $"• [{l.Change.Severity.ToString().ToLowerInvariant()}] {l.Summary}"));
        if (reportLines.Count > MaxChatLines)
        {
            lines.Add($"… and {reportLines.Skip(MaxChatLines).Sum(l => l.Count)} more");
        }

        return string.Join('\n', lines);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    private sealed record GenericPayload(
        string IdempotencyKey,
        string Host,
        DateTimeOffset Time,
        IReadOnlyDictionary<string, CategorySummary> Summary,
        IReadOnlyList<GenericChange> Changes,
        IReadOnlyList<UnknownSection> Unknown,
        IReadOnlyList<PatchOperation> Patch);

    private sealed record GenericChange(string Category, ChangeKind Op, string Path, Severity Severity, string Summary);
}
