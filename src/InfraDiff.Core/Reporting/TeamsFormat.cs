using System.Text.Json;
using System.Text.Json.Nodes;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>A Microsoft Teams webhook made through Workflows: an Adaptive Card (1.4) in a message envelope, within Teams' size limit.</summary>
internal sealed class TeamsFormat() : OnePieceFormat("teams", "application/json", "a Microsoft Teams Workflows webhook's body: an Adaptive Card")
{
    // Teams: a card message of at most about 28 KB.
    private const int MaxBytes = 27 * 1024;

    protected override byte[] Render(DriftAlert alert, ReportFormatOptions options)
    {
        for (var max = ChatText.MaxLines; ; max--)
        {
            var (shown, more) = ChatText.Lines(alert, max);
            var body = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["text"] = HostText.ForTeams(ChatText.Title(alert)), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = ChatText.When(alert), ["isSubtle"] = true, ["spacing"] = "None", ["wrap"] = true },
                new JsonObject
                {
                    ["type"] = "FactSet",
                    ["facts"] = new JsonArray([.. alert.Report.Summary.Select(s => (JsonNode)new JsonObject { ["title"] = HostText.ForTeams(s.Key), ["value"] = s.Value.Counts })]),
                },
            };
            foreach (var line in shown)
            {
                var block = new JsonObject { ["type"] = "TextBlock", ["text"] = Excerpt.Cut($"[{EnumNames.Of(line.Change.Severity)}] {line.Change.Id} {HostText.ForTeams(line.Summary)}", 1000), ["wrap"] = true };
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
            var bytes = JsonSerializer.SerializeToUtf8Bytes(message, SnapshotJson.Options);
            if (max == 0 || bytes.Length <= MaxBytes)
            {
                return bytes;
            }
        }
    }
}
