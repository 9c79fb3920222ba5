using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Cli.Rendering;

/// <summary>The output formats of a drift report.</summary>
internal enum ReportFormat
{
    Text,
    Json,
    JsonPatch,
    Markdown,
    Junit,
    Html,
}

/// <summary>Renders a drift report for people (text, markdown) or machines (json, json-patch).</summary>
internal static class ReportRenderer
{
    private static readonly JsonSerializerOptions Indented = new(SnapshotJson.Options) { WriteIndented = true };

    internal static readonly JsonSerializerOptions Compact = new(SnapshotJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(DriftReport report, ReportFormat format, Stream output, bool colour, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case ReportFormat.Json:
                await JsonSerializer.SerializeAsync(output, report, Indented, cancellationToken);
                await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
                break;
            case ReportFormat.JsonPatch:
                // One operation a line: still one JSON array, but a million-line patch stays greppable.
                await using (var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
                {
                    await writer.WriteAsync('[');
                    var first = true;
                    foreach (var operation in report.ToPatch())
                    {
                        await writer.WriteAsync(first ? "\n" : ",\n");
                        await writer.WriteAsync(JsonSerializer.Serialize(operation, Compact));
                        first = false;
                    }

                    await writer.WriteAsync(first ? "]\n" : "\n]\n");
                }

                break;
            case ReportFormat.Markdown:
                await WriteTextAsync(output, Markdown(report), cancellationToken);
                break;
            case ReportFormat.Junit:
                await JunitReport.WriteAsync(report, output, cancellationToken);
                break;
            case ReportFormat.Html:
                await WriteTextAsync(output, HtmlReport.ForDiff(report), cancellationToken);
                break;
            default:
                await WriteTextAsync(output, Text(report, colour), cancellationToken);
                break;
        }
    }

    private static async Task WriteTextAsync(Stream output, string text, CancellationToken cancellationToken) =>
        await output.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>"web1 2026-11-27T14:00:00Z → web1 2026-11-27T15:00:00Z".</summary>
    internal static string Header(DriftReport report) =>
        $"{report.Before.Host} {Time(report.Before.TakenAt)} → {report.After.Host} {Time(report.After.TakenAt)}";

    internal static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A GitHub comment, and a step summary, hold 65,536 characters.</summary>
    internal const int MarkdownLimit = 65_536;

    /// <summary>The severities, most severe first: the order every report counts them in.</summary>
    internal static readonly Severity[] Severities = [Severity.Critical, Severity.High, Severity.Medium, Severity.Low];

    /// <summary>"905 changes: 1 critical, 5 high, 12 medium, 887 low"; "No drift" when nothing changed.</summary>
    internal static string SummaryLine(DriftReport report) =>
        !report.HasDrift ? "No drift"
        : $"{Count(report.Changes.Count, "change")}: " + string.Join(", ", Severities.Select(s => $"{report.Changes.Count(c => c.Severity == s)} {EnumNames.Of(s)}"));

    /// <summary>The changes most severe first, in patch order within a severity.</summary>
    internal static List<DriftChange> BySeverity(IEnumerable<DriftChange> changes) => [.. changes.OrderByDescending(c => c.Severity)];

    /// <summary>Categories in the order an operator reads them: the one with the most severe change first, then by name.</summary>
    internal static IEnumerable<IGrouping<string, DriftChange>> Categories(IEnumerable<DriftChange> changes) =>
        changes.GroupBy(c => c.Category).OrderByDescending(g => g.Max(c => c.Severity)).ThenBy(g => g.Key, StringComparer.Ordinal);

    private static bool IsUrgent(DriftChange change) => change.Severity >= Severity.High;

    internal static string Text(DriftReport report, bool colour)
    {
        string Paint(string code, string text) => colour ? $"\u001b[{code}m{text}\u001b[0m" : text;
        string Line(DriftChange change, string summary, bool withCategory)
        {
            var (mark, markColour) = change.Kind switch
            {
                ChangeKind.Add => ("+", "32"),
                ChangeKind.Remove => ("-", "31"),
                _ => ("~", "33"),
            };
            var severityColour = change.Severity switch
            {
                Severity.Critical => "1;35",
                Severity.High => "31",
                Severity.Medium => "33",
                _ => "2",
            };
            return $"  {Paint(markColour, mark)} {Paint(severityColour, $"[{EnumNames.Of(change.Severity)}]")} {(withCategory ? change.Category + ": " : "")}{summary}";
        }

        var builder = new StringBuilder();
        builder.AppendLine($"{SummaryLine(report)} ({Header(report)})");
        var urgent = BySeverity(report.Changes.Where(IsUrgent));
        if (urgent.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine(Paint("1", "critical and high"));
            foreach (var change in urgent)
            {
                builder.AppendLine(Line(change, change.Summary, withCategory: true));
            }
        }

        foreach (var group in Categories(report.Changes))
        {
            var summary = report.Summary[group.Key];
            builder.AppendLine();
            builder.AppendLine(Paint("1", $"{group.Key}") + $" ({summary.Counts})");
            foreach (var line in ReportLine.Collapse(BySeverity(group)))
            {
                builder.AppendLine(Line(line.Change, line.Summary, withCategory: false));
            }
        }

        AppendNotCompared(builder, report, (category, part, reason) => $"{Paint("1", part is null ? category : $"{category} {part}")}: not compared ({reason})");
        foreach (var notice in report.Notices)
        {
            builder.AppendLine();
            builder.AppendLine($"notice: {notice}");
        }

        return builder.ToString();
    }

    private static void AppendNotCompared(StringBuilder builder, DriftReport report, Func<string, string?, string, string> line)
    {
        if (report.Unknown.Count > 0)
        {
            builder.AppendLine();
        }

        foreach (var unknown in report.Unknown)
        {
            builder.AppendLine(line(unknown.Category, unknown.Part, unknown.Reason));
        }
    }

    /// <summary>
    /// Markdown for a pull-request comment or a step summary: the summary line, every critical and high change,
    /// then a table per category. It always fits <paramref name="limit"/> characters: past it, the least severe
    /// changes are left out, counted, and the report says so (the JSON report has them all).
    /// </summary>
    internal static string Markdown(DriftReport report, int limit = MarkdownLimit)
    {
        var head = new StringBuilder();
        head.AppendLine(report.HasDrift ? $"## infradiff: {SummaryLine(report)}" : "## infradiff: no drift");
        head.AppendLine();
        head.AppendLine($"`{Cell(report.Before.Host)}` {Time(report.Before.TakenAt)} → `{Cell(report.After.Host)}` {Time(report.After.TakenAt)}");

        var tail = new StringBuilder();
        if (report.Unknown.Count > 0)
        {
            tail.AppendLine();
            tail.AppendLine("### not compared");
            tail.AppendLine();
            foreach (var unknown in report.Unknown)
            {
                tail.AppendLine($"- **{Cell(unknown.Category)}{(unknown.Part is null ? "" : " " + Cell(unknown.Part))}**: {Cell(unknown.Reason)}");
            }
        }

        foreach (var notice in report.Notices)
        {
            tail.AppendLine();
            tail.AppendLine($"> {Cell(notice)}");
        }

        // The most severe changes are kept first; each costs its row (twice when it is also listed as urgent) and its table's header once.
        const int reserve = 600;
        var budget = limit - head.Length - tail.Length - reserve;
        var shown = new HashSet<DriftChange>(ReferenceEqualityComparer.Instance);
        var tablesStarted = new HashSet<string>(StringComparer.Ordinal);
        var urgentStarted = false;
        var linesByCategory = Categories(report.Changes).ToDictionary(g => g.Key, g => ReportLine.Collapse(BySeverity(g)), StringComparer.Ordinal);
        var lineOf = linesByCategory.Values.SelectMany(l => l).ToDictionary(l => (object)l.Change, ReferenceEqualityComparer.Instance);
        var allLines = BySeverity(report.Changes).Select(c => lineOf.GetValueOrDefault(c)).OfType<ReportLine>().ToList();
        foreach (var line in allLines)
        {
            var change = line.Change;
            var cost = Row(change, line.Summary, withCategory: false).Length + 2;
            if (tablesStarted.Add(change.Category))
            {
                cost += TableHeader(change.Category, report).Length;
            }

            if (IsUrgent(change))
            {
                cost += Row(change, change.Summary, withCategory: true).Length + 2 + (urgentStarted ? 0 : 120);
                urgentStarted = true;
            }

            if (cost > budget)
            {
                break;
            }

            budget -= cost;
            shown.Add(change);
        }

        var builder = new StringBuilder(head.ToString());
        var hiddenLines = allLines.Where(l => !shown.Contains(l.Change)).ToList();
        var hidden = hiddenLines.Sum(l => l.Count);
        if (hidden > 0)
        {
            builder.AppendLine();
            builder.AppendLine($"> Cut to fit {limit:N0} characters: {hidden:N0} of {report.Changes.Count:N0} changes not shown ({HiddenBySeverity(hiddenLines)}); `--format json` has them all.");
        }

        var urgent = BySeverity(report.Changes.Where(c => IsUrgent(c) && shown.Contains(c)));
        if (urgent.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine("### critical and high");
            builder.AppendLine();
            builder.AppendLine("| change | severity | category | summary | path |");
            builder.AppendLine("| --- | --- | --- | --- | --- |");
            foreach (var change in urgent)
            {
                builder.AppendLine(Row(change, change.Summary, withCategory: true));
            }
        }

        foreach (var group in Categories(report.Changes))
        {
            var lines = linesByCategory[group.Key];
            var rows = lines.Where(l => shown.Contains(l.Change)).ToList();
            builder.Append(TableHeader(group.Key, report));
            foreach (var line in rows)
            {
                builder.AppendLine(Row(line.Change, line.Summary, withCategory: false));
            }

            if (rows.Count < lines.Count)
            {
                builder.AppendLine();
                builder.AppendLine($"_{lines.Except(rows).Sum(l => l.Count):N0} more not shown._");
            }
        }

        builder.Append(tail);
        return builder.ToString();
    }

    private static string TableHeader(string category, DriftReport report)
    {
        var summary = report.Summary[category];
        return $"\n### {Cell(category)} ({summary.Counts})\n\n| change | severity | summary | path |\n| --- | --- | --- | --- |\n";
    }

    private static string Row(DriftChange change, string summary, bool withCategory)
    {
        var op = Verb(change.Kind);
        var path = change.ExplainedBy is null ? $"`{Cell(change.Path)}`" : "(files of the package)";
        return withCategory
            ? $"| {op} | {EnumNames.Of(change.Severity)} | {Cell(change.Category)} | {Cell(summary)} | {path} |"
            : $"| {op} | {EnumNames.Of(change.Severity)} | {Cell(summary)} | {path} |";
    }

    /// <summary>"added", "removed" or "changed": a change's kind as a report line says it.</summary>
    internal static string Verb(ChangeKind kind) => kind switch { ChangeKind.Add => "added", ChangeKind.Remove => "removed", _ => "changed" };

    /// <summary>"1,204 low, 3 medium": how many changes the lines left out stand for, by severity, most severe first.</summary>
    internal static string HiddenBySeverity(IReadOnlyCollection<ReportLine> hidden) =>
        string.Join(", ", Severities.Select(s => (s, hidden.Where(l => l.Change.Severity == s).Sum(l => l.Count))).Where(x => x.Item2 > 0).Select(x => $"{x.Item2:N0} {EnumNames.Of(x.s)}"));


    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
