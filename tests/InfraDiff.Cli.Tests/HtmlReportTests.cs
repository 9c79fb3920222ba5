using System.Reflection;
using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Monitoring;
using InfraDiff.Reporting;
using InfraDiff.Snapshots;
using Microsoft.Playwright;

namespace InfraDiff.Cli.Tests;

/// <summary>Debian's Chromium, headless, driven by Playwright: one browser for the HTML report tests.</summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "chromium is missing: install Debian's chromium (the test command does as root)");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>
/// The HTML report opened from disk in a real browser: the summary, the filters, an expanded change, a permalink, a
/// hostile file name that stays text (a dialog, a console error or a CSP violation fails the test), and the size and
/// first paint of large reports. Screenshots of each view go to the test output's artifacts folder.
/// </summary>
public sealed class HtmlReportTests(Chromium chromium) : IClassFixture<Chromium>, IDisposable
{
    private const string Hostile = "<script>alert('x')</script>\"'\u202Egnp.exe<img src=x onerror=alert(2)>.conf";

    private static readonly string Artifacts = Directory.CreateDirectory(Path.Join(AppContext.BaseDirectory, "artifacts")).FullName;

    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-html-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Join(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A page whose every dialog, console error and page error is recorded, so a test can assert there were none.</summary>
    private async Task<(IPage Page, List<string> Problems)> OpenAsync(string file, string fragment = "")
    {
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        var problems = new List<string>();
        page.Dialog += (_, dialog) => { problems.Add($"dialog: {dialog.Message}"); _ = dialog.DismissAsync(); };
        page.Console += (_, message) => { if (message.Type is "error" or "warning") { problems.Add($"console {message.Type}: {message.Text}"); } };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        await page.GotoAsync(new Uri(file).AbsoluteUri + fragment);
        await page.WaitForSelectorAsync("html[data-ready=true]");
        return (page, problems);
    }

    private static string Snapshot(string host, string time, string sections) =>
        $$$"""{"schemaVersion":1,"metadata":{"host":"{{{host}}}","takenAt":"{{{time}}}","tool":"t","collectors":{}},{{{sections}}}}""";

    private async Task<string> DiffPageAsync()
    {
        var hostile = JsonSerializer.Serialize("/etc/" + Hostile);
        var before = Write("before.json", Snapshot("web1", "2026-11-27T14:00:00Z", """
            "users":{"accounts":{"alice":{"shell":"/bin/bash","uid":1000}}},
            "packages":{"openssl":{"version":"3.0.11"}},
            "config":{"sshd":{"settings":{"PermitRootLogin":"no"}},"motd":"Welcome\nto web1\nbe nice"},
            "files":{}
            """));
        var after = Write("after.json", Snapshot("web1", "2026-11-27T15:00:00Z", """
            "users":{"accounts":{"alice":{"shell":"/bin/zsh","uid":1000},"mallory":{"shell":"/bin/sh","uid":0}}},
            "packages":{"openssl":{"version":"3.0.13"}},
            "config":{"sshd":{"settings":{"PermitRootLogin":"yes"}},"motd":"Welcome\nto web1, owned\nbe nice"},
            """ + "\"files\":{" + hostile + """:{"type":"file","mode":"4755","uid":0,"gid":0,"size":1,"sha256":"aa"}}"""));
        var result = await CliRunner.RunAsync("diff", before, after, "--format", "html");
        Assert.Equal(1, result.ExitCode);
        return Write("drift.html", result.StandardOutput);
    }

    private static async Task<List<string>> VisibleRowsAsync(IPage page) =>
        [.. await page.Locator("li.change .text").AllInnerTextsAsync()];

    [Fact]
    public async Task The_change_view_filters_expands_and_follows_a_permalink_and_hostile_text_stays_text()
    {
        var file = await DiffPageAsync();
        var (page, problems) = await OpenAsync(file);

        Assert.Contains("files (1 added, 0 removed, 0 changed)", await page.Locator("section h3").AllInnerTextsAsync());
        Assert.StartsWith("6 changes: ", await page.Locator("#summary").InnerTextAsync(), StringComparison.Ordinal);
        var all = await VisibleRowsAsync(page);
        Assert.Equal(6, all.Count);
        await page.ScreenshotAsync(new() { Path = Path.Join(Artifacts, "change-view.png"), FullPage = true });

        // The hostile name is one row of text: the markup shows, nothing ran, the page holds only its own two scripts.
        Assert.Contains(all, r => r.Contains("<script>alert('x')</script>\"'⟨U+202E⟩gnp.exe<img src=x onerror=alert(2)>.conf", StringComparison.Ordinal));
        Assert.DoesNotContain(all, r => r.Contains('\u202E', StringComparison.Ordinal));
        Assert.Equal(2, await page.Locator("script").CountAsync());
        Assert.Equal(0, await page.Locator("img").CountAsync());

        // Severity filter: low and medium off leaves the critical and high rows.
        await page.ClickAsync("button[data-filter=low]");
        await page.ClickAsync("button[data-filter=medium]");
        Assert.Equal("false", await page.GetAttributeAsync("button[data-filter=medium]", "aria-pressed"));
        var severe = await page.Locator("li.change").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.severity)");
        Assert.NotEmpty(severe);
        Assert.All(severe, s => Assert.Contains(s, new[] { "critical", "high" }));

        // Category: users only.
        await page.SelectOptionAsync("select[data-filter=category]", "users");
        var users = await page.Locator("li.change").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.category)");
        Assert.Equal(["users", "users"], users);

        // Free text, all severities back.
        await page.ClickAsync("button[data-filter=low]");
        await page.ClickAsync("button[data-filter=medium]");
        await page.SelectOptionAsync("select[data-filter=category]", "");
        await page.FillAsync("input[data-filter=text]", "alice");
        var alice = Assert.Single(await VisibleRowsAsync(page));
        Assert.Equal("user alice: shell /bin/bash → /bin/zsh", alice);

        // Expand: old and new side by side, aria-expanded says so.
        var row = page.Locator("li.change button.row").First;
        await row.ClickAsync();
        Assert.Equal("true", await row.GetAttributeAsync("aria-expanded"));
        Assert.Equal("/bin/bash", await page.Locator("li.change pre[data-side=old]").InnerTextAsync());
        Assert.Equal("/bin/zsh", await page.Locator("li.change pre[data-side=new]").InnerTextAsync());

        // The change's id, as every format shows it (worked out apart from infradiff in DiffCommandTests), with the command that accepts it.
        Assert.Equal("c11fb88cb8", await page.Locator("li.change button.row .id").InnerTextAsync());
        Assert.Equal("infradiff accept c11fb88cb8 --reason \"\"", await page.Locator("li.change .accept .command").InnerTextAsync());
        await page.FillAsync("input[data-filter=text]", "c11fb88cb8");
        Assert.Equal(["user alice: shell /bin/bash → /bin/zsh"], await VisibleRowsAsync(page));

        // A multi-line value is a unified diff.
        await page.FillAsync("input[data-filter=text]", "motd");
        await page.Locator("li.change button.row").First.ClickAsync();
        Assert.Equal(["-to web1", "+to web1, owned"], await page.Locator("pre.diff .del, pre.diff .add").AllInnerTextsAsync());

        // Keyboard: Enter on a focused row toggles it.
        await page.FillAsync("input[data-filter=text]", "openssl");
        await page.Locator("li.change button.row").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("true", await page.Locator("li.change button.row").First.GetAttributeAsync("aria-expanded"));

        // A permalink opens the change, expanded, even when the filters would hide it.
        var link = await page.Locator("li.change a.link").First.GetAttributeAsync("href");
        var (linked, linkedProblems) = await OpenAsync(file, link!);
        var target = linked.Locator($"li{link}");
        Assert.Equal("true", await target.Locator("button.row").GetAttributeAsync("aria-expanded"));
        Assert.Contains("openssl", await target.InnerTextAsync(), StringComparison.Ordinal);

        Assert.Empty(problems);
        Assert.Empty(linkedProblems);
    }

    public static TheoryData<string> Schemes => new() { "light", "dark" };

    /// <summary>axe-core's WCAG 2 A and AA rules (contrast included) on the change view, one row expanded, in each colour scheme.</summary>
    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task The_change_view_passes_axe_core_wcag_aa_in_light_and_dark(string scheme)
    {
        var file = await DiffPageAsync();
        // The audit's own script is injected, which the page's CSP would refuse: this context alone bypasses it.
        await using var context = await chromium.Browser.NewContextAsync(new() { BypassCSP = true, ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(file).AbsoluteUri);
        await page.WaitForSelectorAsync("html[data-ready=true]");
        await page.Locator("li.change button.row").First.ClickAsync();
        await page.AddScriptTagAsync(new() { Path = Path.Join(Metadata("OracleDirectory"), "node_modules", "axe-core", "axe.min.js") });

        const string audit = "async () => (await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))";
        var violations = await page.EvaluateAsync<string[]>(audit);
        await page.EvaluateAsync("() => { const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#ccc'; p.style.background = '#ddd'; document.getElementById('app').appendChild(p); }");
        var control = await page.EvaluateAsync<string[]>(audit);

        Assert.Empty(violations);
        Assert.Contains(control, v => v.StartsWith("color-contrast", StringComparison.Ordinal));
    }

    private static string Metadata(string key) =>
        typeof(HtmlReportTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static CycleRecord Cycle(DateTimeOffset time, int changes, DriftReport? report) =>
        new(time, "web1", 1.2, "snapshot-x.json", changes > 0, "d", new Dictionary<string, int> { ["critical"] = 0, ["high"] = report is null ? 0 : 1, ["medium"] = report is null ? changes : changes - 1, ["low"] = 0 }, 0, report is not null, report);

    private static DriftReport Report(DateTimeOffset time, int count, string category = "files")
    {
        var changes = Enumerable.Range(0, count).Select(i => new DriftChange(
            category, ChangeKind.Replace, $"/{category}/~1srv~1app~1data-{i:D6}.conf", SnapshotJson.ToElement(new { sha256 = "a", size = i }), SnapshotJson.ToElement(new { sha256 = "b", size = i + 1 }),
            i == 0 ? Severity.High : Severity.Medium, $"file /srv/app/data-{i:D6}.conf: content changed, {i} → {i + 1} bytes")).ToList();
        return new DriftReport
        {
            Before = new SnapshotIdentity("web1", time.AddMinutes(-5)),
            After = new SnapshotIdentity("web1", time),
            Summary = new Dictionary<string, CategorySummary> { [category] = new(0, 0, count) },
            Changes = changes,
            Unknown = [],
            Notices = [],
        };
    }

    /// <summary>First contentful paint as the page measured it, in milliseconds.</summary>
    private static Task<double> FirstPaintAsync(IPage page) =>
        page.EvaluateAsync<double>("() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1");

    [Fact]
    public async Task The_store_view_of_a_thousand_cycles_is_small_fast_and_opens_a_cycle()
    {
        var store = Path.Join(directory, "store");
        var reports = Directory.CreateDirectory(Path.Join(store, "reports")).FullName;
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 1_000; i++)
        {
            // Every 50th cycle alerted, 40 changes; a two-hour gap where the watcher was down.
            var time = start.AddMinutes(5 * i + (i >= 600 ? 120 : 0));
            var record = Cycle(time, i % 50 == 0 && i > 0 ? 40 : 0, i % 50 == 0 && i > 0 ? Report(time, 40) : null) with { Baseline = i == 0 };
            File.WriteAllBytes(Path.Join(reports, $"cycle-{time:yyyyMMdd'T'HHmmss.fff'Z'}.json"), JsonSerializer.SerializeToUtf8Bytes(record, SnapshotJson.Options));
        }

        var output = Path.Join(directory, "history.html");
        var result = await CliRunner.RunAsync("report", "--dir", store, "-o", output);
        Assert.True(result.ExitCode == 0, result.StandardError);

        var (page, problems) = await OpenAsync(output);
        var paint = await FirstPaintAsync(page);
        var size = new FileInfo(output).Length;
        Console.WriteLine($"store view of 1,000 cycles: {size:N0} bytes, first contentful paint {paint:0} ms");
        Assert.InRange(size, 1, 5_000_000);
        Assert.InRange(paint, 0, 1_000);
        Assert.Equal(1_000, await page.Locator("svg.timeline rect.mark").CountAsync());
        Assert.Equal(1, await page.Locator("svg.timeline rect.gap").CountAsync());
        Assert.Equal("0", await page.Locator("svg.timeline path.baseline").GetAttributeAsync("data-baseline"));
        Assert.Equal(19, await page.Locator("table.cycles tbody tr").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Join(Artifacts, "store-view.png"), FullPage = false });

        await page.Locator("svg.timeline rect.mark-high").First.ClickAsync();
        Assert.StartsWith("40 changes: 0 critical, 1 high, 39 medium", await page.Locator("#cycle #summary").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(40, (await VisibleRowsAsync(page)).Count);
        await page.ScreenshotAsync(new() { Path = Path.Join(Artifacts, "store-cycle.png"), FullPage = false });
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_report_of_100000_changes_stays_under_5_MB_and_paints_in_under_a_second()
    {
        var report = Report(DateTimeOffset.UtcNow, 100_000);
        var output = Write("big.html", System.Text.Encoding.UTF8.GetString(ReportFormats.Render("html", DriftAlert.Of(report))));

        var (page, problems) = await OpenAsync(output);
        var paint = await FirstPaintAsync(page);
        var size = new FileInfo(output).Length;
        var shown = await page.Locator("#shown").InnerTextAsync();
        Console.WriteLine($"change view of 100,000 changes: {size:N0} bytes, first contentful paint {paint:0} ms, {shown}");
        Assert.InRange(size, 1, 5_000_000);
        Assert.InRange(paint, 0, 1_000);
        Assert.Equal(200, await page.Locator("li.change").CountAsync());
        Assert.Contains("changes not shown", await page.Locator("p.notice").First.InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("button.more").First.ClickAsync();
        Assert.Equal(400, await page.Locator("li.change").CountAsync());
        Assert.Empty(problems);
    }
}
