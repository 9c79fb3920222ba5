using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using InfraDiff.Diffing;
using InfraDiff.Pipeline;
using InfraDiff.Reporting;

namespace InfraDiff.Tests.Reporting;

/// <summary>
/// samples/CustomCollector as a library user writes it: its section's nouns, default severities and part make its
/// changes read and rank like a built-in section's in every report.
/// </summary>
public sealed class CustomSectionReportTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-custom-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Root(string name, string grub)
    {
        var root = Path.Join(work, name);
        Directory.CreateDirectory(Path.Join(root, "etc", "default"));
        File.WriteAllText(Path.Join(root, "etc", "default", "grub"), grub);
        return root;
    }

    private async Task<DriftAlert> DriftAsync()
    {
        var snapshotter = new Snapshotter([new KernelCommandLineCollector()]);
        var before = await snapshotter.TakeAsync(new SnapshotOptions { Root = Root("before", "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"quiet\"\n") });
        var after = await snapshotter.TakeAsync(new SnapshotOptions { Root = Root("after", "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"quiet init=/bin/sh apparmor=0\"\nGRUB_CMDLINE_LINUX_DEFAULT=\"splash\"\n") });
        return DriftAlert.Of(SnapshotDiffer.Compare(before, after, new DriftRules { Sections = snapshotter.Sections }));
    }

    private static string Render(string format, DriftAlert alert) => Encoding.UTF8.GetString(ReportFormats.Render(format, alert));

    [Fact]
    public async Task The_sample_sections_changes_carry_its_summaries_and_severities()
    {
        var alert = await DriftAsync();

        Assert.Equal(
            ["critical kernel parameter init added", "high kernel parameter apparmor added", "medium kernel parameter splash added"],
            alert.Report.Changes.OrderByDescending(c => c.Severity).Select(c => $"{EnumNames.Of(c.Severity)} {c.Summary}"));
        var unknown = Assert.Single(alert.Report.Unknown);
        Assert.Equal(("kernelCmdline", "running"), (unknown.Category, unknown.Part));
    }

    [Fact]
    public async Task Text_markdown_html_junit_and_slack_tell_them_with_the_sections_words()
    {
        var alert = await DriftAsync();

        var init = alert.Report.Changes.Single(c => c.Path == "/kernelCmdline/init").Id;
        var apparmor = alert.Report.Changes.Single(c => c.Path == "/kernelCmdline/apparmor").Id;
        var text = Render("text", alert).Split('\n');
        Assert.Equal($"  + [critical] {init} kernelCmdline: kernel parameter init added", text[3]);
        Assert.Contains("kernelCmdline running: not compared (unavailable: the running kernel is not this root's (an image, a mounted disk))", text);

        var markdown = Render("markdown", alert);
        Assert.Contains($"| `{init}` | added | critical | kernelCmdline | kernel parameter init added | `/kernelCmdline/init` |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| `{apparmor}` | added | high | kernel parameter apparmor added | `/kernelCmdline/apparmor` |", markdown, StringComparison.Ordinal);

        var html = Render("html", alert);
        var data = html[(html.IndexOf("id=\"data\">", StringComparison.Ordinal) + 10)..html.IndexOf("</script>", html.IndexOf("id=\"data\">", StringComparison.Ordinal), StringComparison.Ordinal)];
        var lines = JsonDocument.Parse(data).RootElement.GetProperty("reports")[0].GetProperty("lines").EnumerateArray().ToList();
        Assert.Contains(lines, l => l[0].GetInt32() == 0 && l[3].GetString() == "kernel parameter init added");

        var junit = XDocument.Parse(Render("junit", alert));
        var suite = junit.Descendants("testsuite").First();
        Assert.Equal("kernelCmdline", suite.Attribute("name")!.Value);
        Assert.Contains(suite.Descendants("failure"), f => f.Attribute("type")!.Value == "critical" && f.Attribute("message")!.Value == "[critical] kernel parameter init added");
        Assert.Contains(suite.Descendants("testcase"), c => c.Attribute("name")!.Value == "kernelCmdline running: not compared" && c.Element("skipped") is not null);

        using var slack = JsonDocument.Parse(ReportFormats.Render("slack", alert));
        Assert.StartsWith($"• [critical] `{init}` kernel parameter init added\n• [high] `{apparmor}` kernel parameter apparmor added", slack.RootElement.GetProperty("blocks")[3].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
    }
}
