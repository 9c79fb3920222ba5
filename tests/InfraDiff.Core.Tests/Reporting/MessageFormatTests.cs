using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Reporting;

namespace InfraDiff.Tests.Reporting;

/// <summary>
/// Each chat body checked against its platform's documented rules, with hostile host text and with sizes from one
/// change to 11,000. The limits, as the platforms document them:
/// Slack Block Kit (api.slack.com/reference/block-kit): at most 50 blocks a message; a section's text at most
/// 3,000 characters; a header's plain_text at most 150; a message's text truncated past 40,000.
/// Discord (discord.com/developers/docs/resources/message#embed-object-embed-limits): at most 10 embeds; title
/// 256, description 4,096, 25 fields (name 256, value 1,024), footer 2,048, and 6,000 characters in all embeds.
/// Teams (learn.microsoft.com, Workflows webhooks): an Adaptive Card of version 1.4 or lower in a "message" envelope
/// with an application/vnd.microsoft.card.adaptive attachment, the message at most about 28 KB.
/// </summary>
public sealed class MessageFormatTests
{
    private const string Hostile = "@everyone <!channel> **ping** <@here> <@U123> [x](http://evil.example) <script>alert(1)</script> \u202Egnp.exe\u202C";

    internal static DriftAlert Alert(int count, int pathLength = 20, string? summary = null)
    {
        var changes = Enumerable.Range(0, count).Select(i => new DriftChange(
            i % 2 == 0 ? "users" : "files",
            ChangeKind.Replace,
            "/files/~1" + new string('p', Math.Max(1, pathLength - 10)) + i,
            default,
            default,
            i == 0 ? Severity.Critical : Severity.Low,
            summary ?? $"file /{new string('p', pathLength)}{i}: content changed")).ToList();
        var report = new DriftReport
        {
            Before = new SnapshotIdentity("web1", DateTimeOffset.UnixEpoch),
            After = new SnapshotIdentity("web1", DateTimeOffset.UnixEpoch.AddDays(1)),
            Summary = changes.GroupBy(c => c.Category).ToDictionary(g => g.Key, g => new CategorySummary(0, 0, g.Count())),
            Changes = changes,
            Unknown = [],
            Notices = [],
        };
        return new DriftAlert("0123456789abcdef0123456789abcdef", "web1", DateTimeOffset.UnixEpoch.AddDays(1), report);
    }

    public static TheoryData<int, int> Sizes => new() { { 1, 20 }, { 30, 3800 }, { 11_000, 60 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Slack_blocks_stay_within_block_kit_limits_and_name_the_true_total(int count, int pathLength)
    {
        using var body = JsonDocument.Parse(ReportFormats.Render("slack", Alert(count, pathLength)));
        var blocks = body.RootElement.GetProperty("blocks").EnumerateArray().ToList();

        Assert.InRange(blocks.Count, 1, 50);
        Assert.InRange(blocks[0].GetProperty("text").GetProperty("text").GetString()!.Length, 1, 150);
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.All(blocks.Where(b => b.GetProperty("type").GetString() == "section"), b => Assert.InRange(b.GetProperty("text").GetProperty("text").GetString()!.Length, 1, 3000));
        Assert.InRange(body.RootElement.GetProperty("text").GetString()!.Length, 1, 40_000);
        Assert.Contains($"{count:N0} change", blocks[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', body.RootElement.GetRawText());
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Discord_embeds_stay_within_every_documented_limit_and_name_the_true_total(int count, int pathLength)
    {
        using var body = JsonDocument.Parse(ReportFormats.Render("discord", Alert(count, pathLength)));
        var embeds = body.RootElement.GetProperty("embeds").EnumerateArray().ToList();

        Assert.Empty(body.RootElement.GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());
        Assert.InRange(embeds.Count, 1, 10);
        var embed = embeds[0];
        var title = embed.GetProperty("title").GetString()!;
        var description = embed.GetProperty("description").GetString()!;
        var fields = embed.GetProperty("fields").EnumerateArray().ToList();
        var footer = embed.GetProperty("footer").GetProperty("text").GetString()!;
        Assert.InRange(title.Length, 1, 256);
        Assert.InRange(description.Length, 0, 4096);
        Assert.InRange(fields.Count, 0, 25);
        Assert.All(fields, f => Assert.InRange(f.GetProperty("name").GetString()!.Length, 1, 256));
        Assert.All(fields, f => Assert.InRange(f.GetProperty("value").GetString()!.Length, 1, 1024));
        Assert.InRange(footer.Length, 1, 2048);
        Assert.InRange(title.Length + description.Length + footer.Length + fields.Sum(f => f.GetProperty("name").GetString()!.Length + f.GetProperty("value").GetString()!.Length), 1, 6000);
        Assert.Contains($"{count:N0} change", title, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', body.RootElement.GetRawText());
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Teams_is_an_adaptive_card_1_4_in_a_message_envelope_under_28_kb_that_adaptivecards_parses(int count, int pathLength)
    {
        var bytes = ReportFormats.Render("teams", Alert(count, pathLength));
        using var body = JsonDocument.Parse(bytes);
        var attachment = body.RootElement.GetProperty("attachments")[0];

        Assert.Equal("message", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal("1.4", attachment.GetProperty("content").GetProperty("version").GetString());
        Assert.InRange(bytes.Length, 1, 28 * 1024);
        var check = AdaptiveCardOracle(bytes);
        Assert.Equal("1.4", check.GetProperty("version").GetString());
        Assert.Empty(check.GetProperty("parseEvents").EnumerateArray());
        Assert.Empty(check.GetProperty("validationEvents").EnumerateArray());
        Assert.Contains($"{count:N0} change", attachment.GetProperty("content").GetProperty("body")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_adaptive_card_oracle_can_fail()
    {
        var broken = Encoding.UTF8.GetBytes("""{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.4","body":[{"type":"Marquee","text":"x"}]}}]}""");

        Assert.NotEmpty(AdaptiveCardOracle(broken).GetProperty("parseEvents").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Generic_bodies_are_capped_flagged_truncated_and_keep_the_true_totals(int count, int pathLength)
    {
        var bytes = ReportFormats.Render("generic", Alert(count, pathLength));
        using var body = JsonDocument.Parse(bytes);
        var root = body.RootElement;

        Assert.InRange(bytes.Length, 1, GenericFormat.DefaultMaxBytes);
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(count, root.GetProperty("totals").GetProperty("changes").GetInt32());
        // One change fits whole; 30 changes with 3,800-character paths (about 340 KB with their patch) and 11,000 do not.
        var truncated = root.GetProperty("truncated").GetBoolean();
        Assert.Equal(count > 1, truncated);
        Assert.Equal(truncated ? JsonValueKind.Null : JsonValueKind.Array, root.GetProperty("patch").ValueKind);
        Assert.InRange(root.GetProperty("changes").GetArrayLength(), 1, count == 11_000 ? count - 1 : count);
        Assert.Equal("critical", root.GetProperty("changes")[0].GetProperty("severity").GetString());
    }

    [Theory]
    [InlineData("slack")]
    [InlineData("discord")]
    [InlineData("teams")]
    public void Hostile_host_text_never_arrives_live(string format)
    {
        var alert = Alert(3, summary: $"user eve: gecos {Hostile}") with { Host = "web1 <!here> @everyone" };

        var texts = Strings(JsonDocument.Parse(ReportFormats.Render(format, alert)).RootElement).ToList();

        Assert.All(texts, t => Assert.DoesNotContain("<!channel>", t, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain("<!here>", t, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain("<@U123>", t, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain("<script>", t, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain("\u202E", t, StringComparison.Ordinal));
        if (format != "slack")
        {
            // Slack renders [x](url) as text; Discord and Teams would make it a link, and Discord "@everyone" a ping.
            Assert.All(texts, t => Assert.DoesNotContain("[x](http", t, StringComparison.Ordinal));
            Assert.All(texts, t => Assert.DoesNotContain("**ping**", t, StringComparison.Ordinal));
        }

        if (format == "discord")
        {
            Assert.All(texts, t => Assert.DoesNotContain("@everyone", t, StringComparison.Ordinal));
        }

        Assert.Contains(texts, t => t.Contains("gecos", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cut_never_splits_an_emoji_or_a_combined_letter()
    {
        var text = string.Concat(Enumerable.Repeat("a👩‍👩‍👧e\u0301", 400));

        var cut = Excerpt.Cut(text, 1001);

        Assert.True(cut.Length <= 1001);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
        Assert.StartsWith(cut[..^1], text, StringComparison.Ordinal);
        Assert.Equal(cut[..^1], new System.Globalization.StringInfo(cut[..^1]).SubstringByTextElements(0));
        Assert.False(char.IsHighSurrogate(cut[^2]));
        Assert.NotEqual('\u200D', cut[^2]);
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    private static JsonElement AdaptiveCardOracle(byte[] body)
    {
        var directory = typeof(MessageFormatTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OracleDirectory").Value!;
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, body);
            var start = new ProcessStartInfo("node", [Path.Join(directory, "check-adaptive-card.js"), file]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, error);
            return JsonDocument.Parse(output).RootElement.Clone();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
