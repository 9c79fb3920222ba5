using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using InfraDiff.Diffing;
using InfraDiff.Reporting;
using InfraDiff.Snapshots;
using MimeKit;

namespace InfraDiff.Tests.Reporting;

/// <summary>A library user renders every format from a report, without the tool: each output read back by its own parser.</summary>
public sealed class EveryFormatTests
{
    private static readonly DriftAlert Alert = DriftAlert.Of(SnapshotDiffer.Compare(
        Snap("""
            "users":{"accounts":{"alice":{"uid":1000,"shell":"/bin/bash"}}},
            "packages":{"nginx":{"version":"1.22-1"}},
            "files":{"/usr/sbin/nginx":{"type":"file","package":"nginx","verified":true,"sha256":"c","size":1,"mode":"0755"}}
            """),
        Snap("""
            "users":{"accounts":{"alice":{"uid":1000,"shell":"/bin/zsh"},"toor":{"uid":0,"shell":"/bin/sh"}}},
            "packages":{"nginx":{"version":"1.24-1"}},
            "files":{"/usr/sbin/nginx":{"type":"file","package":"nginx","verified":true,"sha256":"d","size":2,"mode":"0755"}}
            """,
            """{"os":{"status":"failed","reason":"boom"}}""")));

    private static DriftChange Toor => Alert.Report.Changes.Single(c => c.Path == "/users/accounts/toor");

    private static Snapshot Snap(string sections, string collectors = "{}") =>
        SnapshotFile.Parse("test", Encoding.UTF8.GetBytes($$"""{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{{collectors}}},{{sections}}}"""));

    public static TheoryData<string> Formats => [.. ReportFormats.Names];

    /// <summary>A unit stopped: its active and sub states are two changes of the patch and one line of every report.</summary>
    private static readonly DriftAlert Stopped = DriftAlert.Of(SnapshotDiffer.Compare(
        Snap(""" "services":{"ssh.service":{"unitFile":"enabled","load":"loaded","active":"active","sub":"running"},"cron.service":{"unitFile":"enabled","load":"loaded","active":"active","sub":"running"}} """),
        Snap(""" "services":{"ssh.service":{"unitFile":"enabled","load":"loaded","active":"inactive","sub":"dead"},"cron.service":{"unitFile":"enabled","load":"loaded","active":"active","sub":"exited"}} """)));

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_stopped_unit_is_one_line_in_every_format_and_two_changes_of_the_patch(string name)
    {
        using var output = new MemoryStream();

        await ReportFormats.Get(name).WriteAsync(Stopped, output, ReportFormatOptions.Default);

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(
            ["replace /services/cron.service/sub", "replace /services/ssh.service/active", "replace /services/ssh.service/sub"],
            Stopped.Report.ToPatch().Where(o => o.Op != "test").Select(o => $"{o.Op} {o.Path}"));
        if (name is "json-patch" or "github")
        {
            // The patch is the changes; github's annotations go to the runner's files (GitHubActionsTests).
            return;
        }

        if (name is "json" or "generic")
        {
            // Data, one entry per change as in the patch: the state told on another's line says which.
            var changes = JsonNode.Parse(text)!["changes"]!.AsArray();
            Assert.Equal("/services/ssh.service/active", changes.Single(c => (string?)c!["path"] == "/services/ssh.service/sub")!["toldWith"]!.GetValue<string>());
            Assert.Equal("unit ssh.service stopped (active/running → inactive/dead)", changes.Single(c => (string?)c!["path"] == "/services/ssh.service/active")!["summary"]!.GetValue<string>());
            return;
        }

        if (name is "ecs")
        {
            // One record per change, as in the patch: the state told on another's record says which, under infradiff.told_with.
            var records = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
            Assert.Equal(4, records.Count);
            Assert.Equal("/services/ssh.service/active", (string?)records.Single(r => (string?)r["infradiff"]?["pointer"] == "/services/ssh.service/sub")!["infradiff"]!["told_with"]);
            var stopped = records.Single(r => (string?)r["infradiff"]?["pointer"] == "/services/ssh.service/active")!;
            Assert.Equal("unit ssh.service stopped (active/running → inactive/dead)", (string?)stopped["message"]);
            Assert.Equal("ssh.service", (string?)stopped["service"]!["name"]);
            return;
        }

        // What a reader sees: JSON strings decoded, HTML entities and markdown escapes undone.
        var words = Shown(text);
        Assert.Contains("unit ssh.service stopped (active/running → inactive/dead)", words, StringComparison.Ordinal);
        Assert.DoesNotContain("sub running → dead", words, StringComparison.Ordinal);
        Assert.Contains("cron.service: sub running → exited", words, StringComparison.Ordinal);

        static string Shown(string text)
        {
            if (text.TrimStart().StartsWith('{'))
            {
                var strings = new List<string>();
                void Collect(JsonNode? node)
                {
                    switch (node)
                    {
                        case JsonObject o: foreach (var (_, v) in o) { Collect(v); } break;
                        case JsonArray a: foreach (var v in a) { Collect(v); } break;
                        case JsonValue v when v.TryGetValue<string>(out var s): strings.Add(s); break;
                    }
                }

                Collect(JsonNode.Parse(text));
                text = string.Join('\n', strings);
            }

            return Regex.Replace(WebUtility.HtmlDecode(text), @"\\(.)", "$1");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_change_id_is_the_same_in_every_format_that_lists_changes(string name)
    {
        using var output = new MemoryStream();

        await ReportFormats.Get(name).WriteAsync(Alert, output, ReportFormatOptions.Default);

        var text = Encoding.UTF8.GetString(output.ToArray());
        if (name is "json-patch" or "github")
        {
            // The patch is RFC 6902 operations and nothing else; GitHub annotations name a change by its summary and path.
            Assert.DoesNotContain(Toor.Id, text, StringComparison.Ordinal);
            return;
        }

        Assert.Matches("^[0-9a-f]{10}$", Toor.Id);
        Assert.Contains(Toor.Id, text, StringComparison.Ordinal);
        Assert.Equal(Toor.Id, ChangeId.Of(ChangeKind.Add, "/users/accounts/toor", default, JsonDocument.Parse("""{"uid":0,"shell":"/bin/sh"}""").RootElement));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_format_writes_the_report_its_own_parser_reads(string name)
    {
        var format = ReportFormats.Get(name);
        using var output = new MemoryStream();

        await format.WriteAsync(Alert, output, ReportFormatOptions.Default);

        var bytes = output.ToArray();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.NotEmpty(bytes);
        switch (format.MediaType.Split(';')[0])
        {
            case "application/json" or "application/json-patch+json":
                using (var document = JsonDocument.Parse(bytes))
                {
                    Assert.Contains("toor", document.RootElement.GetRawText(), StringComparison.Ordinal);
                }

                break;
            case "application/xml":
                Assert.Contains(XDocument.Parse(text).Descendants("failure"), f => f.Attribute("message")!.Value == "[critical] user toor added (uid 0)");
                break;
            case "message/rfc822":
                var message = await MimeMessage.LoadAsync(new MemoryStream(bytes));
                Assert.Equal("infradiff: 4 changes on web1", message.Subject);
                Assert.Contains($"[critical] {Toor.Id} user toor added (uid 0)", message.TextBody, StringComparison.Ordinal);
                break;
            case "text/html":
                Assert.StartsWith("<!doctype html>", text, StringComparison.Ordinal);
                Assert.Contains("user toor added (uid 0)", text, StringComparison.Ordinal);
                break;
            case "text/markdown":
                Assert.Contains("user toor added (uid 0)", Unescaped(text), StringComparison.Ordinal);
                break;
            default:
                Assert.Contains("user toor added (uid 0)", text, StringComparison.Ordinal);
                break;
        }
    }

    [Theory]
    [InlineData("text")]
    [InlineData("markdown")]
    [InlineData("slack")]
    [InlineData("teams")]
    [InlineData("discord")]
    [InlineData("email")]
    [InlineData("html")]
    public void Every_format_for_people_tells_an_upgrade_once_on_the_package_line(string name)
    {
        var bytes = ReportFormats.Render(name, Alert);
        // The chat formats and markdown escape markdown (1\.22\-1): their strings are read as the chat shows them.
        var text = Unescaped(ReportFormats.IsJson(ReportFormats.Get(name)) ? string.Join('\n', Strings(JsonDocument.Parse(bytes).RootElement)) : Encoding.UTF8.GetString(bytes));

        Assert.Contains("nginx: 1.22-1 → 1.24-1; 1 file change, all verified", text, StringComparison.Ordinal);
        Assert.DoesNotContain("package nginx 1.22-1 → 1.24-1:", text, StringComparison.Ordinal);
    }

    /// <summary>Text as markdown shows it: each backslash-escaped ASCII punctuation character as itself.</summary>
    private static string Unescaped(string markdown) => Regex.Replace(markdown, @"\\([!-/:-@\[-`{-~])", "$1");

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [Fact]
    public void An_unknown_format_is_one_line_naming_those_there_are()
    {
        var error = Assert.Throws<InfraDiffException>(() => ReportFormats.Get("yaml"));

        Assert.Equal($"no report format 'yaml' (known: {string.Join(", ", ReportFormats.Names)})", error.Message);
    }

    [Fact]
    public void A_webhook_posts_only_a_format_that_writes_json()
    {
        Assert.Equal(["json", "json-patch", "generic", "slack", "teams", "discord"], ReportFormats.WebhookNames);
        var error = Assert.Throws<InvalidOptionException>(() => new InfraDiff.Alerting.WebhookOptions { Url = new Uri("http://127.0.0.1/"), Format = "markdown" }.Validate());
        Assert.StartsWith("WebhookOptions.Format: must be one of json, json-patch, generic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parts_not_compared_for_one_reason_are_one_line()
    {
        var before = Snap("""
            "os":{"hostname":"a"}
            """, """{"os":{"status":"ok","unavailable":{"kernel":"not the live host","modules":"not the live host","mounts":"not the live host"}}}""");
        var after = Snap("""
            "os":{"hostname":"a"}
            """, """{"os":{"status":"ok","unavailable":{"kernel":"not the live host","modules":"not the live host","mounts":"not the live host","sysctls":"no /proc"}}}""");

        var text = Encoding.UTF8.GetString(ReportFormats.Render("text", DriftAlert.Of(SnapshotDiffer.Compare(before, after)))).Split('\n');

        Assert.Contains("os kernel, modules, mounts: not compared (unavailable: not the live host)", text);
        Assert.Contains("os sysctls: not compared (unavailable in the later snapshot: no /proc)", text);
        Assert.Equal(2, text.Count(l => l.Contains("not compared", StringComparison.Ordinal)));
    }
}
