using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Alerting;

/// <summary>
/// Builds the body each format posts. The chat formats carry the same content: a title, the per-category counts,
/// and the most severe changes (a package's explained files as one line), within each platform's documented
/// limits and with every piece of host text made inert for that platform.
/// </summary>
public static class AlertPayloads
{
    /// <summary>The most change lines a chat message lists; the rest are counted.</summary>
    public const int MaxChatLines = 20;

    /// <summary>The default cap of a generic body: past it, the change list is cut (most severe kept) and the patch left out.</summary>
    public const int DefaultMaxGenericBytes = 256 * 1024;

    /// <summary>The least a generic body may be given: room for the host, the totals and a few changes.</summary>
    public const int MinimumGenericBytes = 4 * 1024;

    /// <summary>The version of the generic body's schema (README: "The generic body").</summary>
    public const int GenericSchemaVersion = 1;

    // Slack Block Kit: 50 blocks a message, 3,000 characters a section's text, 150 a header's.
    private const int SlackSectionText = 3000;
    private const int SlackHeaderText = 150;
    private const int SlackFallbackText = 4000;

    // Teams: a card message of at most about 28 KB.
    private const int TeamsMaxBytes = 27 * 1024;

    // Discord embeds: title 256, description 4,096, 25 fields (name 256, value 1,024), footer 2,048, 6,000 in all.
    private const int DiscordTitle = 256;
    private const int DiscordDescription = 4096;
    private const int DiscordTotal = 6000;

    private static readonly JsonSerializerOptions Options = new(SnapshotJson.Options);

    /// <summary>The JSON body for <paramref name="format"/>; a generic body is capped at <paramref name="maxGenericBytes"/>.</summary>
    public static byte[] Body(DriftAlert alert, WebhookFormat format, int maxGenericBytes = DefaultMaxGenericBytes)
    {
        ArgumentNullException.ThrowIfNull(alert);
        JsonNode body = format switch
        {
            WebhookFormat.Slack => Slack(alert),
            WebhookFormat.Teams => Teams(alert),
            WebhookFormat.Discord => Discord(alert),
            _ => Generic(alert, maxGenericBytes),
        };
        return JsonSerializer.SerializeToUtf8Bytes(body, Options);
    }

    internal static string Title(DriftAlert alert) =>
        $"infradiff: {alert.Report.Changes.Count:N0} change{(alert.Report.Changes.Count == 1 ? "" : "s")} on {HostText.Clean(alert.Host)}";

    internal static string When(DriftAlert alert) => alert.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);


    /// <summary>The lines a chat message lists, most severe first, and how many changes the rest stand for.</summary>
    private static (IReadOnlyList<ReportLine> Shown, int More) ChatLines(DriftAlert alert, int max = MaxChatLines)
    {
        var lines = ReportLine.Collapse(alert.Report.Changes.OrderByDescending(c => c.Severity).ToList());
        return (lines.Take(max).ToList(), lines.Skip(max).Sum(l => l.Count));
    }

    private static JsonObject Slack(DriftAlert alert)
    {
        var (shown, more) = ChatLines(alert);
        var categories = alert.Report.Summary.Select(s => $"`{HostText.ForSlack(s.Key)}`: {s.Value.Counts}").ToList();
        var changes = shown.Select(l => $"• [{EnumNames.Of(l.Change.Severity)}] {HostText.ForSlack(l.Summary)}").ToList();
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Excerpt.Cut(HostText.ForSlackPlain(Title(alert)), SlackHeaderText) } },
            new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"host `{HostText.ForSlack(alert.Host)}` · {When(alert)}" }) },
            Section(string.Join('\n', categories)),
        };

        // Change lines packed into sections of at most 3,000 characters; with 20 lines that is at most 20 sections.
        var section = new StringBuilder();
        foreach (var line in changes.Select(l => Excerpt.Cut(l, SlackSectionText)))
        {
            if (section.Length + line.Length + 1 > SlackSectionText)
            {
                blocks.Add(Section(section.ToString()));
                section.Clear();
            }

            section.Append(section.Length == 0 ? "" : "\n").Append(line);
        }

        if (section.Length > 0)
        {
            blocks.Add(Section(section.ToString()));
        }

        if (more > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"… and {more:N0} more (the JSON report has them all)" }) });
        }

        // The whole message as text: Slack's notification, and what Mattermost and Rocket.Chat show.
        var fallback = new List<string> { $"*{HostText.ForSlack(Title(alert))}* ({When(alert)})" };
        fallback.AddRange(categories);
        fallback.AddRange(changes);
        if (more > 0)
        {
            fallback.Add($"… and {more:N0} more");
        }

        return new JsonObject { ["text"] = Excerpt.Cut(string.Join('\n', fallback), SlackFallbackText), ["blocks"] = blocks };

        static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text.Length == 0 ? " " : text } };
    }

    private static JsonObject Teams(DriftAlert alert)
    {
        for (var max = MaxChatLines; ; max--)
        {
            var (shown, more) = ChatLines(alert, max);
            var body = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = HostText.ForTeams(Title(alert)), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = When(alert), ["isSubtle"] = true, ["spacing"] = "None", ["wrap"] = true },
                new JsonObject
                {
                    ["type"] = "FactSet",
                    ["facts"] = new JsonArray([.. alert.Report.Summary.Select(s => (JsonNode)new JsonObject { ["title"] = HostText.ForTeams(s.Key), ["value"] = s.Value.Counts })]),
                },
            };
            foreach (var line in shown)
            {
                var block = new JsonObject { ["type"] = "TextBlock", ["text"] = Excerpt.Cut($"[{EnumNames.Of(line.Change.Severity)}] {HostText.ForTeams(line.Summary)}", 1000), ["wrap"] = true };
                if (line.Change.Severity >= Severity.High)
                {
                    block["color"] = "Attention";
                }

                body.Add(block);
            }

            if (more > 0)
            {
                body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"… and {more:N0} more (the JSON report has them all)", ["isSubtle"] = true, ["wrap"] = true });
            }

            var message = new JsonObject
            {
                ["type"] = "message",
                ["attachments"] = new JsonArray(new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["contentUrl"] = null,
                    ["content"] = new JsonObject
                    {
                        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                        ["type"] = "AdaptiveCard",
                        ["version"] = "1.4",
                        ["body"] = body,
                    },
                }),
            };

            // Fewer lines until the message fits Teams' size limit; the count below the list says how many were left out.
            if (max == 0 || JsonSerializer.SerializeToUtf8Bytes(message, Options).Length <= TeamsMaxBytes)
            {
                return message;
            }
        }
    }

    private static JsonObject Discord(DriftAlert alert)
    {
        var (shown, more) = ChatLines(alert);
        var fields = new JsonArray([.. alert.Report.Summary.Take(25).Select(s => (JsonNode)new JsonObject
        {
            ["name"] = Excerpt.Cut(HostText.ForDiscord(s.Key), 256),
            ["value"] = s.Value.Counts,
            ["inline"] = true,
        })]);
        var title = Excerpt.Cut(HostText.ForDiscord(Title(alert)), DiscordTitle);
        var footer = $"{When(alert)}{(more > 0 ? $" · … and {more:N0} more" : "")}";
        var budget = Math.Min(DiscordDescription, DiscordTotal - title.Length - footer.Length - fields.Sum(f => f!["name"]!.GetValue<string>().Length + f["value"]!.GetValue<string>().Length));
        var description = new StringBuilder();
        var listed = 0;
        foreach (var line in shown)
        {
            var text = Excerpt.Cut($"• [{EnumNames.Of(line.Change.Severity)}] {HostText.ForDiscord(line.Summary)}", 500);
            if (description.Length + text.Length + 1 > budget)
            {
                break;
            }

            description.Append(description.Length == 0 ? "" : "\n").Append(text);
            listed++;
        }

        if (listed < shown.Count)
        {
            footer = $"{When(alert)} · … and {more + shown.Skip(listed).Sum(l => l.Count):N0} more";
        }

        var highest = alert.Report.Changes.Count == 0 ? Severity.Low : alert.Report.Changes.Max(c => c.Severity);
        return new JsonObject
        {
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
            ["embeds"] = new JsonArray(new JsonObject
            {
                ["title"] = title,
                ["description"] = description.ToString(),
                ["color"] = highest switch { Severity.Critical => 0x9B1C31, Severity.High => 0xD93F0B, Severity.Medium => 0xE4B429, _ => 0x8A8F98 },
                ["fields"] = fields,
                ["footer"] = new JsonObject { ["text"] = footer },
                ["timestamp"] = alert.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            }),
        };
    }

    private static JsonObject Generic(DriftAlert alert, int maxBytes)
    {
        var report = alert.Report;
        var changes = report.Changes.Select(c =>
        {
            var change = new JsonObject
            {
                ["category"] = c.Category,
                ["op"] = JsonSerializer.SerializeToNode(c.Kind, Options),
                ["path"] = c.Path,
                ["severity"] = EnumNames.Of(c.Severity),
                ["summary"] = c.Summary,
            };
            if (c.ExplainedBy is not null)
            {
                change["explainedBy"] = c.ExplainedBy;
            }

            return change;
        }).ToList();
        var body = new JsonObject
        {
            ["version"] = GenericSchemaVersion,
            ["heartbeat"] = alert.Heartbeat,
            ["idempotencyKey"] = alert.IdempotencyKey,
            ["host"] = alert.Host,
            ["time"] = JsonSerializer.SerializeToNode(alert.Time, Options),
            ["summary"] = JsonSerializer.SerializeToNode(report.Summary, Options),
            ["totals"] = new JsonObject
            {
                ["changes"] = report.Changes.Count,
                ["bySeverity"] = new JsonObject([.. Enum.GetValues<Severity>().Reverse().Select(s => KeyValuePair.Create(EnumNames.Of(s), (JsonNode?)report.Changes.Count(c => c.Severity == s)))]),
            },
            ["unknown"] = JsonSerializer.SerializeToNode(report.Unknown, Options),
            ["journal"] = alert.Journal is { } journal ? new JsonObject { ["sequence"] = journal.Sequence, ["head"] = journal.Head } : null,
            ["truncated"] = false,
            ["changes"] = new JsonArray([.. changes]),
            ["patch"] = JsonSerializer.SerializeToNode(report.ToPatch(), Options),
        };
        if (JsonSerializer.SerializeToUtf8Bytes(body, Options).Length <= maxBytes)
        {
            return body;
        }

        // Too large: the most severe changes that fit, no patch, and a flag that tells a receiver to fetch the report.
        body["patch"] = null;
        body["truncated"] = true;
        body["changes"] = new JsonArray();
        var budget = maxBytes - JsonSerializer.SerializeToUtf8Bytes(body, Options).Length;
        var kept = new JsonArray();
        foreach (var (change, severity) in changes.Zip(report.Changes.Select(c => c.Severity)).OrderByDescending(p => p.Second).Select(p => (p.First, p.Second)))
        {
            var size = JsonSerializer.SerializeToUtf8Bytes(change, Options).Length + 1;
            if (size > budget)
            {
                break;
            }

            budget -= size;
            kept.Add(change.DeepClone());
        }

        body["changes"] = kept;
        return body;
    }
}
