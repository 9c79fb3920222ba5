using System.Text;
using InfraDiff.Configuration;
using InfraDiff.Diffing;
using InfraDiff.Reporting;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace InfraDiff.Tests.Diffing;

/// <summary>Waivers with the clock moved: waived before expiry, warned within a week, alerted after, refused without reason or expiry.</summary>
public sealed class WaiverTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("infradiff-waivers-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static Snapshot Snap(string sections) =>
        SnapshotFile.Parse("test", Encoding.UTF8.GetBytes($$"""{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{{"{}"}}},{{sections}}}"""));

    private static readonly Snapshot Before = Snap("""
        "files":{"/etc/ssl/certs/site.pem":{"type":"file","sha256":"aa","mode":"0644","size":1},"/etc/passwd":{"type":"file","sha256":"pp","mode":"0644","size":1}}
        """);

    private static readonly Snapshot After = Snap("""
        "files":{"/etc/ssl/certs/site.pem":{"type":"file","sha256":"bb","mode":"0644","size":1},"/etc/passwd":{"type":"file","sha256":"qq","mode":"0644","size":1}}
        """);

    private static readonly DriftRules Rules = new() { Waivers = [new Waiver("/etc/ssl/certs/**", "nightly certificate renewal", new DateOnly(2026, 12, 31)) { By = "alice" }] };

    private static DriftReport CompareOn(int year, int month, int day) =>
        SnapshotDiffer.Compare(Before, After, Rules, new FakeTimeProvider(new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void Before_expiry_a_waived_change_is_counted_and_shown_apart_and_not_in_the_alerting_changes()
    {
        var report = CompareOn(2026, 12, 1);

        var waived = Assert.Single(report.Waived);
        Assert.Equal("/files/~1etc~1ssl~1certs~1site.pem", waived.Change.Path);
        Assert.Equal("alice", waived.Waiver.By);
        Assert.Equal(["/files/~1etc~1passwd"], report.Changes.Select(c => c.Path));
        Assert.DoesNotContain(report.ToPatch(), o => o.Path.Contains("site.pem", StringComparison.Ordinal));
        Assert.Empty(report.Notices);
        var text = Encoding.UTF8.GetString(ReportFormats.Render("text", DriftAlert.Of(report)));
        Assert.Contains("(1 change waived)", text.Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains($"{waived.Change.Id} files: file /etc/ssl/certs/site.pem: content changed, same size (1 bytes) — waived until 2026-12-31 by alice: nightly certificate renewal", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_waived_changes_are_no_drift()
    {
        var only = SnapshotDiffer.Compare(Before, After, Rules with { Ignore = [new IgnoreRule("/etc/passwd")] }, new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.False(only.HasDrift);
        Assert.Single(only.Waived);
    }

    [Fact]
    public void Within_seven_days_of_expiry_the_report_warns_and_still_waives()
    {
        var report = CompareOn(2026, 12, 26);

        Assert.Single(report.Waived);
        Assert.Equal(["waiver /etc/ssl/certs/** expires on 2026-12-31 (in 5 days): renew it, or its changes alert"], report.Notices);
        Assert.Contains("(today)", Assert.Single(CompareOn(2026, 12, 31).Notices), StringComparison.Ordinal);
    }

    [Fact]
    public void After_expiry_the_change_alerts_saying_the_waiver_expired()
    {
        var report = CompareOn(2027, 1, 1);

        Assert.Empty(report.Waived);
        var change = report.Changes.Single(c => c.Path.Contains("site.pem", StringComparison.Ordinal));
        Assert.EndsWith("(waiver expired on 2026-12-31)", change.Summary, StringComparison.Ordinal);
        Assert.Contains("waiver /etc/ssl/certs/** expired on 2026-12-31: its changes alert again", report.Notices);
    }

    [Fact]
    public void A_waiver_whose_condition_does_not_hold_waives_nothing()
    {
        var rules = new DriftRules { Waivers = [new Waiver("/etc/ssl/certs/**", "renewal keeps the mode", new DateOnly(2026, 12, 31)) { When = ["new.mode == \"0600\""] }] };

        var report = SnapshotDiffer.Compare(Before, After, rules, new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Empty(report.Waived);
        Assert.Equal(2, report.Changes.Count);
    }

    [Theory]
    [InlineData("""{"path": "/etc/ssl/**", "expires": "2026-12-31"}""", "waiver 1 (/etc/ssl/**): 'reason' is required")]
    [InlineData("""{"path": "/etc/ssl/**", "reason": "renewal"}""", "waiver 1 (/etc/ssl/**): 'expires' is required")]
    [InlineData("""{"path": "/etc/ssl/**", "reason": " ", "expires": "2026-12-31"}""", "waiver 1 (/etc/ssl/**): 'reason' is required")]
    public void A_waiver_without_reason_or_expiry_is_refused_naming_the_file_and_the_rule(string waiver, string expected)
    {
        var path = Path.Join(work, "waivers.json");
        File.WriteAllText(path, $$"""{"waivers": [{{waiver}}]}""");

        var error = Assert.Throws<InfraDiffException>(() => InfraDiffConfiguration.Load(path));

        Assert.StartsWith($"{path}: {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Junit_marks_a_waived_change_skipped_with_its_reason()
    {
        var junit = System.Xml.Linq.XDocument.Parse(Encoding.UTF8.GetString(ReportFormats.Render("junit", DriftAlert.Of(CompareOn(2026, 12, 1)))));

        var skipped = Assert.Single(junit.Descendants("testcase"), c => c.Element("skipped") is { } s && s.Attribute("message")!.Value.StartsWith("waived", StringComparison.Ordinal));
        Assert.Equal("waived until 2026-12-31 by alice: nightly certificate renewal", skipped.Element("skipped")!.Attribute("message")!.Value);
        Assert.Contains("site.pem", skipped.Attribute("name")!.Value, StringComparison.Ordinal);
    }
}
