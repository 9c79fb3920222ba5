using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Monitoring;

namespace InfraDiff.Cli.Rendering;

/// <summary>
/// One self-contained HTML page: a drift report (the change view) or a store's cycles (the store view, each cycle
/// that alerted opening its change view). The data travels as a JSON block the page's own script renders with
/// textContent only; a Content-Security-Policy allows nothing but that script and style, by their hashes.
/// </summary>
internal static class HtmlReport
{
    /// <summary>The data a page carries at most: past it, the least severe lines are left out and counted.</summary>
    internal const int DataBudget = 4_000_000;

    private const int ValueLength = 2_000;
    private const int SamplePaths = 50;

    // Every letter as itself (a smaller page), but <, >, &, quotes and the like escaped: nothing can close the data block.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public static string ForDiff(DriftReport report) =>
        Page($"infradiff: {ReportRenderer.SummaryLine(report)}", new Dictionary<string, object?>
        {
            ["kind"] = "diff",
            ["reports"] = new[] { Report(report, DataBudget) },
        });

    /// <summary>The store view of <paramref name="records"/>, oldest first.</summary>
    public static string ForHistory(string store, IReadOnlyList<CycleRecord> records)
    {
        var reports = new List<Dictionary<string, object?>>();
        var cycles = new List<Dictionary<string, object?>>();
        var alerted = records.Count(r => r.Report is not null);
        foreach (var record in records)
        {
            var index = -1;
            if (record.Report is { } report)
            {
                index = reports.Count;
                reports.Add(Report(report, DataBudget / Math.Max(1, alerted)));
            }

            cycles.Add(new Dictionary<string, object?>
            {
                ["t"] = ReportRenderer.Time(record.Time),
                ["d"] = record.DurationSeconds,
                ["c"] = record.Counts,
                ["cat"] = record.Report?.Summary.ToDictionary(s => s.Key, s => s.Value.Added + s.Value.Removed + s.Value.Changed) ?? new Dictionary<string, int>(),
                ["a"] = record.Alerted,
                ["s"] = record.Stored,
                ["r"] = index,
                ["first"] = record.Counts.Count == 0,
                ["b"] = record.Baseline,
            });
        }

        var gaps = records.Zip(records.Skip(1), (a, b) => (b.Time - a.Time).TotalSeconds).Order().ToList();
        var hosts = string.Join(", ", records.Select(r => r.Host).Distinct());
        var summary = records.Count == 0 ? $"{store}: no cycles"
            : $"{hosts}: {records.Count:N0} cycles from {ReportRenderer.Time(records[0].Time)} to {ReportRenderer.Time(records[^1].Time)}, {alerted:N0} with drift alerted";
        return Page($"infradiff history: {summary}", new Dictionary<string, object?>
        {
            ["kind"] = "history",
            ["summary"] = summary,
            ["interval"] = gaps.Count == 0 ? 300 : gaps[gaps.Count / 2],
            ["cycles"] = cycles,
            ["reports"] = reports,
        });
    }

    /// <summary>A report's lines, most severe kept first within <paramref name="budget"/> bytes, then laid out by category as the text report is.</summary>
    private static Dictionary<string, object?> Report(DriftReport report, int budget)
    {
        var categories = ReportRenderer.Categories(report.Changes).ToList();
        var lines = categories.SelectMany(g => ReportLine.Collapse(ReportRenderer.BySeverity(g))).ToList();
        var samples = report.Changes.Where(c => c.ExplainedBy is not null).GroupBy(c => c.ExplainedBy!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Take(SamplePaths).Select(c => c.Path).ToArray(), StringComparer.Ordinal);
        var rows = lines.Select(l => Line(l, l.Change.ExplainedBy is { } package ? samples[package] : null)).ToList();
        var kept = new bool[lines.Count];
        var used = 0;
        foreach (var i in Enumerable.Range(0, lines.Count).OrderBy(i => Array.IndexOf(ReportRenderer.Severities, lines[i].Change.Severity)))
        {
            var cost = rows[i].Sum(v => v is string s ? s.Length + 3 : 8) + 16;
            if (used + cost > budget)
            {
                break;
            }

            used += cost;
            kept[i] = true;
        }

        var hidden = lines.Where((_, i) => !kept[i]).ToList();
        return new Dictionary<string, object?>
        {
            ["title"] = ReportRenderer.Header(report),
            ["summary"] = ReportRenderer.SummaryLine(report),
            ["counts"] = ReportRenderer.Severities.ToDictionary(EnumNames.Of, s => report.Changes.Count(c => c.Severity == s)),
            ["categories"] = categories.Select(g => new object[] { g.Key, report.Summary[g.Key].Counts }),
            ["lines"] = rows.Where((_, i) => kept[i]),
            ["hidden"] = hidden.Count == 0 ? null
                : $"Cut to keep the page small: {hidden.Sum(l => l.Count):N0} of {report.Changes.Count:N0} changes not shown ({ReportRenderer.HiddenBySeverity(hidden)}); --format json has them all.",
            ["unknown"] = report.Unknown.Select(u => new[] { u.Category, u.Part, u.Reason }),
            ["notices"] = report.Notices,
        };
    }

    /// <summary>[severity (0 critical … 3 low), op, category, summary, path, old JSON, new JSON, count, explained by, sample paths].</summary>
    private static object?[] Line(ReportLine line, string[]? paths)
    {
        var change = line.Change;
        var op = change.Kind switch { ChangeKind.Add => "+", ChangeKind.Remove => "-", _ => "~" };
        var group = change.ExplainedBy is not null;
        return
        [
            Array.IndexOf(ReportRenderer.Severities, change.Severity), op, change.Category, line.Summary, change.Path,
            group ? null : Value(change.OldValue), group ? null : Value(change.NewValue), line.Count, change.ExplainedBy,
            paths,
        ];
    }

    private static string? Value(JsonElement value) =>
        value.ValueKind == JsonValueKind.Undefined ? null : Excerpt.Cut(JsonSerializer.Serialize(value, ReportRenderer.Compact), ValueLength);

    private static string Page(string title, Dictionary<string, object?> data)
    {
        var style = Asset("report.css");
        var script = Asset("report.js");
        var json = JsonSerializer.Serialize(data, Options);
        var page = new StringBuilder(json.Length + style.Length + script.Length + 1_000);
        page.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '{Hash(style)}'; script-src '{Hash(script)}'; img-src data:; base-uri 'none'; form-action 'none'\">\n");
        page.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n");
        page.Append("<title>").Append(HtmlEncoder.Default.Encode(HostText.Clean(title))).Append("</title>\n");
        page.Append("<style>").Append(style).Append("</style>\n</head>\n<body>\n");
        page.Append("<header><h1>infradiff</h1><p class=\"meta\">Generated ").Append(ReportRenderer.Time(DateTimeOffset.UtcNow)).Append(" by ").Append(HtmlEncoder.Default.Encode(Pipeline.Snapshotter.ToolVersion)).Append("</p></header>\n");
        page.Append("<main id=\"app\"><noscript>This report needs JavaScript; the same report is available as text, markdown or JSON.</noscript></main>\n");
        page.Append("<script type=\"application/json\" id=\"data\">").Append(json).Append("</script>\n");
        page.Append("<script>").Append(script).Append("</script>\n</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>The CSP source of an inline block: 'sha256-' and the base64 of its SHA-256.</summary>
    private static string Hash(string content) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static string Asset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"InfraDiff.Cli.Rendering.Html.{name}")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
