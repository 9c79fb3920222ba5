using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>
/// A Slack incoming webhook's body: Block Kit with the whole message as a text fallback (what Mattermost and Rocket.Chat
/// show), within Slack's limits, every piece of host text inert for mrkdwn.
/// </summary>
internal sealed class SlackFormat() : OnePieceFormat("slack", "application/json", "a Slack incoming webhook's body (also Mattermost, Rocket.Chat)")
{
    // Slack Block Kit: 50 blocks a message, 3,000 characters a section's text, 150 a header's.
    private const int SectionText = 3000;
    private const int HeaderText = 150;
    private const int FallbackText = 4000;

    protected override byte[] Render(DriftAlert alert, ReportFormatOptions options) => JsonSerializer.SerializeToUtf8Bytes(Body(alert), SnapshotJson.Options);

    private static JsonObject Body(DriftAlert alert)
    {
        var (shown, more) = ChatText.Lines(alert);
        var categories = alert.Report.Summary.Select(s => $"`{HostText.ForSlack(s.Key)}`: {s.Value.Counts}").ToList();
        var changes = shown.Select(l => $"• [{EnumNames.Of(l.Change.Severity)}] `{l.Change.Id}` {HostText.ForSlack(l.Summary)}").ToList();
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Excerpt.Cut(HostText.ForSlackPlain(ChatText.Title(alert)), HeaderText) } },
            new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"host `{HostText.ForSlack(alert.Host)}` · {ChatText.When(alert)}" }) },
            Section(string.Join('\n', categories)),
        };

        // Change lines packed into sections of at most 3,000 characters; with 20 lines that is at most 20 sections.
        var section = new StringBuilder();
        foreach (var line in changes.Select(l => Excerpt.Cut(l, SectionText)))
        {
            if (section.Length + line.Length + 1 > SectionText)
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
        var fallback = new List<string> { $"*{HostText.ForSlack(ChatText.Title(alert))}* ({ChatText.When(alert)})" };
        fallback.AddRange(categories);
        fallback.AddRange(changes);
        if (more > 0)
        {
            fallback.Add($"… and {more:N0} more");
        }

        return new JsonObject { ["text"] = Excerpt.Cut(string.Join('\n', fallback), FallbackText), ["blocks"] = blocks };

        static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text.Length == 0 ? " " : text } };
    }
}
