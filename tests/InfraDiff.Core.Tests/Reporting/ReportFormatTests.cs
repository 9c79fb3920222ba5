using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Reporting;

namespace InfraDiff.Tests.Reporting;

/// <summary>The text and markdown layouts: what an operator reads first, and a markdown report that always fits a comment.</summary>
public sealed class ReportFormatTests
{
    private static DriftReport Report(int lowChanges, params (string Category, Severity Severity, string Summary)[] severe)
    {
        var changes = Enumerable.Range(0, lowChanges)
            .Select(i => new DriftChange("files", ChangeKind.Replace, $"/files/~1usr~1share~1doc~1pkg{i}~1changelog.gz", default, default, Severity.Low, $"file /usr/share/doc/pkg{i}/changelog.gz: content changed, 1,000 → 1,200 bytes"))
            .Concat(severe.Select(s => new DriftChange(s.Category, ChangeKind.Add, "/" + s.Category + "/x", default, JsonDocument.Parse("1").RootElement, s.Severity, s.Summary)))
            .ToList();
        return new DriftReport
        {
            Before = new SnapshotIdentity("web1", DateTimeOffset.UnixEpoch),
            After = new SnapshotIdentity("web1", DateTimeOffset.UnixEpoch.AddDays(1)),
            Summary = changes.GroupBy(c => c.Category).ToDictionary(g => g.Key, g => new CategorySummary(g.Count(c => c.Kind == ChangeKind.Add), 0, g.Count(c => c.Kind == ChangeKind.Replace))),
            Changes = changes,
            Unknown = [new UnknownSection("os", "unavailable: not the live host", "kernel")],
            Notices = [],
        };
    }

    /// <summary>A markdown row of a low file change: its id, then what it is.</summary>
    private static readonly System.Text.RegularExpressions.Regex LowRow = new(@"^\| `[0-9a-f]{10}` \| changed \| low \|");

    private static string Text(DriftReport report) => System.Text.Encoding.UTF8.GetString(ReportFormats.Render("text", DriftAlert.Of(report)));

    private static string Markdown(DriftReport report) => System.Text.Encoding.UTF8.GetString(ReportFormats.Render("markdown", DriftAlert.Of(report)));

    [Fact]
    public void Text_starts_with_the_counts_by_severity_then_every_critical_and_high_change()
    {
        var report = Report(800, ("users", Severity.Critical, "user toor added"), ("files", Severity.High, "file /usr/bin/ls: content changed, same size (138,208 bytes)"));

        var lines = Text(report).Split('\n');

        Assert.StartsWith("802 changes: 1 critical, 1 high, 0 medium, 800 low (", lines[0], StringComparison.Ordinal);
        Assert.Equal("critical and high", lines[2]);
        Assert.Equal($"  + [critical] {report.Changes[^2].Id} users: user toor added", lines[3]);
        Assert.Equal($"  + [high] {report.Changes[^1].Id} files: file /usr/bin/ls: content changed, same size (138,208 bytes)", lines[4]);
        // The category with the most severe change leads.
        Assert.Equal("users (1 added, 0 removed, 0 changed)", lines[6]);
        Assert.Contains("os kernel: not compared (unavailable: not the live host)", lines);
    }

    [Fact]
    public void Markdown_of_a_huge_report_fits_a_comment_keeps_every_severe_change_and_counts_what_it_cut()
    {
        var report = Report(11_000, ("users", Severity.Critical, "user toor added"), ("scheduled", Severity.High, "crontab /etc/crontab: entries added: @reboot root /tmp/x"));

        var markdown = Markdown(report);

        Assert.True(markdown.Length <= MarkdownFormat.Limit, $"{markdown.Length} characters");
        Assert.StartsWith("## infradiff: 11002 changes: 1 critical, 1 high, 0 medium, 11000 low", markdown, StringComparison.Ordinal);
        Assert.Contains($"| `{report.Changes[^2].Id}` | added | critical | users | user toor added | `/users/x` |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| `{report.Changes[^1].Id}` | added | high | scheduled |", markdown, StringComparison.Ordinal);
        var cut = markdown.Split('\n').Single(l => l.StartsWith("> Cut to fit 65,536 characters: ", StringComparison.Ordinal));
        var shown = markdown.Split('\n').Count(l => LowRow.IsMatch(l));
        Assert.Equal($"> Cut to fit 65,536 characters: {11_000 - shown:N0} of 11,002 changes not shown ({11_000 - shown:N0} low); `--format json` has them all.", cut);
        Assert.Contains($"_{11_000 - shown:N0} more not shown._", markdown, StringComparison.Ordinal);
        Assert.Contains(@"- **os kernel**: unavailable\: not the live host", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_of_150000_changes_whose_names_escape_to_six_times_their_length_keeps_its_data_in_budget()
    {
        // Each name is mostly characters the page's JSON escapes (\u003C, \u202E): a budget counted in characters would be blown six times over.
        var hostile = string.Concat(Enumerable.Repeat("<&'\u202E", 40));
        var changes = Enumerable.Range(0, 150_000)
            .Select(i => new DriftChange("files", ChangeKind.Add, $"/files/~1tmp~1{i}{hostile}", default, JsonDocument.Parse("1").RootElement, i == 149_999 ? Severity.Critical : Severity.Low, $"file /tmp/{i}{hostile} added"))
            .ToList();
        var report = Report(0) with { Changes = changes, Summary = new Dictionary<string, CategorySummary> { ["files"] = new(changes.Count, 0, 0) } };

        var page = System.Text.Encoding.UTF8.GetString(ReportFormats.Render("html", DriftAlert.Of(report)));

        var start = page.IndexOf("id=\"data\">", StringComparison.Ordinal) + 10;
        var data = page[start..page.IndexOf("</script>", start, StringComparison.Ordinal)];
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(data), HtmlFormat.DataBudget / 2, HtmlFormat.DataBudget + 10_000);
        using var json = JsonDocument.Parse(data);
        var lines = json.RootElement.GetProperty("reports")[0].GetProperty("lines");
        Assert.Equal(0, lines[0][0].GetInt32());
        Assert.Contains("149999", lines[0][3].GetString(), StringComparison.Ordinal);
        Assert.StartsWith($"Cut to keep the page small: {150_000 - lines.GetArrayLength():N0} of 150,000 changes not shown", json.RootElement.GetProperty("reports")[0].GetProperty("hidden").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_that_fits_is_not_cut()
    {
        var markdown = Markdown(Report(10, ("users", Severity.Critical, "user toor added")));

        Assert.DoesNotContain("Cut to fit", markdown, StringComparison.Ordinal);
        Assert.Equal(10, markdown.Split('\n').Count(l => LowRow.IsMatch(l)));
    }
}
