using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>A Discord webhook's body: an embed within Discord's limits, with mentions disabled.</summary>
internal sealed class DiscordFormat() : OnePieceFormat("discord", "application/json", "a Discord webhook's body: an embed, mentions disabled")
{
    // Discord embeds: title 256, description 4,096, 25 fields (name 256, value 1,024), footer 2,048, 6,000 in all.
    private const int TitleLength = 256;
    private const int DescriptionLength = 4096;
    private const int TotalLength = 6000;

    protected override byte[] Render(DriftAlert alert, ReportFormatOptions options) => JsonSerializer.SerializeToUtf8Bytes(Body(alert), SnapshotJson.Options);

    private static JsonObject Body(DriftAlert alert)
    {
        var (shown, more) = ChatText.Lines(alert);
        var fields = new JsonArray([.. alert.Report.Summary.Take(25).Select(s => (JsonNode)new JsonObject
        {
            ["name"] = Excerpt.Cut(HostText.ForDiscord(s.Key), 256),
            ["value"] = s.Value.Counts,
            ["inline"] = true,
        })]);
        var title = Excerpt.Cut(HostText.ForDiscord(ChatText.Title(alert)), TitleLength);
        var when = ChatText.When(alert);
        var footer = $"{when}{(more > 0 ? $" · … and {more:N0} more" : "")}";
        var budget = Math.Min(DescriptionLength, TotalLength - title.Length - footer.Length - fields.Sum(f => f!["name"]!.GetValue<string>().Length + f["value"]!.GetValue<string>().Length));
        var description = new StringBuilder();
        var listed = 0;
        foreach (var line in shown)
        {
            var text = Excerpt.Cut($"• [{EnumNames.Of(line.Change.Severity)}] `{line.Change.Id}` {HostText.ForDiscord(line.Summary)}", 500);
            if (description.Length + text.Length + 1 > budget)
            {
                break;
            }

            description.Append(description.Length == 0 ? "" : "\n").Append(text);
            listed++;
        }

        if (listed < shown.Count)
        {
            footer = $"{when} · … and {more + shown.Skip(listed).Sum(l => l.Count):N0} more";
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
}
