using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>
/// One self-contained HTML page: a drift report (the change view), or a store's cycles (the store view, each cycle
/// that alerted opening its change view). The data travels as a JSON block the page's own script renders with
/// textContent only; a Content-Security-Policy allows nothing but that script and style, by their hashes.
/// </summary>
internal sealed class HtmlFormat() : OnePieceFormat("html", "text/html; charset=utf-8", "one self-contained page with filters and expandable changes, that works offline")
{
    /// <summary>The data a page carries at most: past it, the least severe lines are left out and counted.</summary>
    internal const int DataBudget = 4_000_000;

    private const int ValueLength = 2_000;
    private const int SamplePaths = 50;

    protected override byte[] Render(DriftAlert alert, ReportFormatOptions options)
    {
        var view = ReportView.Of(alert.Report);
        return Encoding.UTF8.GetBytes(Page($"infradiff: {view.SummaryLine}", new Dictionary<string, object?>
        {
            ["kind"] = "diff",
            ["reports"] = new[] { Data(view, options.Budget ?? DataBudget) },
        }));
    }

    /// <summary>A report's lines, most severe kept first within <paramref name="budget"/> bytes, then laid out by category as the text report is.</summary>
    internal static Dictionary<string, object?> Data(ReportView view, int budget)
    {
        var report = view.Report;
        // Each line costs what it takes in the page, escaped: the data stays within its budget for any number of changes.
        var (shown, hidden) = view.Cut(budget, l => JsonSerializer.SerializeToUtf8Bytes(Row(l), ReportJson.HtmlData).Length + 1);
        var kept = shown.ToHashSet();
        return new Dictionary<string, object?>
        {
            ["title"] = view.Header,
            ["summary"] = view.SummaryLine,
            ["counts"] = ReportView.Severities.ToDictionary(EnumNames.Of, s => view.Counts[s]),
            ["categories"] = view.Categories.Select(c => new object[] { c.Name, c.Summary.Counts }),
            ["lines"] = view.Categories.SelectMany(c => c.Lines).Where(kept.Contains).Select(Row),
            ["hidden"] = hidden.Count == 0 ? null
                : $"Cut to keep the page small: {hidden.Sum(l => l.Count):N0} of {report.Changes.Count:N0} changes not shown ({ReportView.HiddenBySeverity(hidden)}); --format json has them all.",
            ["waived"] = view.Waived.Take(1_000).Select(w => new[] { w.Change.Id, EnumNames.Of(w.Change.Severity), w.Change.Category, w.Change.Summary, ReportView.WaivedBecause(w.Waiver) }),
            ["unknown"] = view.NotCompared.Select(n => new[] { n.What, null, n.Reason }),
            ["notices"] = report.Notices,
        };
    }

    /// <summary>[severity (0 critical … 3 low), op, category, summary, path, old JSON, new JSON, count, explained by, sample paths, change id].</summary>
    private static object?[] Row(ReportLine line)
    {
        var change = line.Change;
        var group = change.ExplainedBy is not null;
        return
        [
            Array.IndexOf(ReportView.Severities, change.Severity), ReportView.Mark(change.Kind), change.Category, line.Summary, change.Path,
            group ? null : Value(change.OldValue), group ? null : Value(change.NewValue), line.Count, change.ExplainedBy ?? line.Explained.FirstOrDefault()?.ExplainedBy,
            line.Explained.Count == 0 ? null : line.Explained.Take(SamplePaths).Select(c => c.Path).ToArray(), change.Id,
        ];
    }

    private static string? Value(JsonElement value) =>
        value.ValueKind == JsonValueKind.Undefined ? null : Excerpt.Cut(JsonSerializer.Serialize(value, SnapshotJson.Options), ValueLength);

    /// <summary>The page: <paramref name="data"/> as the script's JSON block, under <paramref name="title"/>.</summary>
    internal static string Page(string title, Dictionary<string, object?> data)
    {
        var style = Asset("report.css");
        var script = Asset("report.js");
        var json = JsonSerializer.Serialize(data, ReportJson.HtmlData);
        var page = new StringBuilder(json.Length + style.Length + script.Length + 1_000);
        page.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        page.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '{Hash(style)}'; script-src '{Hash(script)}'; img-src data:; base-uri 'none'; form-action 'none'\">\n");
        page.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n");
        page.Append("<title>").Append(HtmlEncoder.Default.Encode(HostText.Clean(title))).Append("</title>\n");
        page.Append("<style>").Append(style).Append("</style>\n</head>\n<body>\n");
        page.Append("<header><h1>infradiff</h1><p class=\"meta\">Generated ").Append(ReportView.Time(DateTimeOffset.UtcNow)).Append(" by ").Append(HtmlEncoder.Default.Encode(Tool.Name)).Append("</p></header>\n");
        page.Append("<main id=\"app\"><noscript>This report needs JavaScript; the same report is available as text, markdown or JSON.</noscript></main>\n");
        page.Append("<script type=\"application/json\" id=\"data\">").Append(json).Append("</script>\n");
        page.Append("<script>").Append(script).Append("</script>\n</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>The CSP source of an inline block: 'sha256-' and the base64 of its SHA-256.</summary>
    private static string Hash(string content) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static string Asset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"InfraDiff.Reporting.Html.{name}")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
