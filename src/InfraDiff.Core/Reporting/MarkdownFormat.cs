using System.Text;
using InfraDiff.Diffing;

namespace InfraDiff.Reporting;

/// <summary>
/// Markdown for a pull-request comment or a step summary: the summary line, every critical and high change, then a
/// table per category. It always fits its budget (a GitHub comment holds 65,536 characters): past it, the least severe
/// lines are left out, counted, and the report says so (the JSON report has them all).
/// </summary>
internal sealed class MarkdownFormat() : OnePieceFormat("markdown", "text/markdown; charset=utf-8", "a table per category, for a pull request or a CI summary, within 65,536 characters")
{
    /// <summary>A GitHub comment, and a step summary, hold 65,536 characters.</summary>
    public const int Limit = 65_536;

    protected override byte[] Render(DriftAlert alert, ReportFormatOptions options) => Encoding.UTF8.GetBytes(Markdown(ReportView.Of(alert.Report), options.Budget ?? Limit));

    internal static string Markdown(ReportView view, int limit = Limit)
    {
        var report = view.Report;
        var head = new StringBuilder();
        head.AppendLine(report.HasDrift || report.BelowMinimum > 0 ? $"## infradiff: {view.SummaryLine}" : "## infradiff: no drift");
        head.AppendLine();
        head.AppendLine($"{Code(report.Before.Host)} {ReportView.Time(report.Before.TakenAt)} → {Code(report.After.Host)} {ReportView.Time(report.After.TakenAt)}");

        var tail = new StringBuilder();
        if (view.Waived.Count > 0)
        {
            tail.AppendLine();
            tail.AppendLine($"### waived ({view.Waived.Count:N0})");
            tail.AppendLine();
            foreach (var (change, waiver) in view.Waived.Take(50))
            {
                tail.AppendLine($"- `{change.Id}` [{EnumNames.Of(change.Severity)}] {Cell(change.Category)}: {Cell(change.Summary)} — {Cell(ReportView.WaivedBecause(waiver))}");
            }

            if (view.Waived.Count > 50)
            {
                tail.AppendLine($"- … and {view.Waived.Count - 50:N0} more (`--format json` has them all)");
            }
        }

        if (view.NotCompared.Count > 0)
        {
            tail.AppendLine();
            tail.AppendLine("### not compared");
            tail.AppendLine();
            foreach (var notCompared in view.NotCompared)
            {
                tail.AppendLine($"- **{Cell(notCompared.What)}**: {Cell(notCompared.Reason)}");
            }
        }

        foreach (var notice in report.Notices)
        {
            tail.AppendLine();
            tail.AppendLine($"> {Cell(notice)}");
        }

        // The most severe lines are kept first; each costs its row (twice when it is also listed as urgent) and its table's header once.
        const int reserve = 600;
        var tablesStarted = new HashSet<string>(StringComparer.Ordinal);
        var urgentStarted = false;
        var (shownLines, hiddenLines) = view.Cut(limit - head.Length - tail.Length - reserve, line =>
        {
            var change = line.Change;
            var cost = Row(change, line.Summary, withCategory: false).Length + 2;
            if (tablesStarted.Add(change.Category))
            {
                cost += TableHeader(view, change.Category).Length;
            }

            if (change.Severity >= Severity.High)
            {
                cost += Row(change, change.Summary, withCategory: true).Length + 2 + (urgentStarted ? 0 : 120);
                urgentStarted = true;
            }

            return cost;
        });
        var shown = shownLines.Select(l => l.Change).ToHashSet(ReferenceEqualityComparer.Instance);

        var builder = new StringBuilder(head.ToString());
        var hidden = hiddenLines.Sum(l => l.Count);
        if (hidden > 0)
        {
            builder.AppendLine();
            builder.AppendLine($"> Cut to fit {limit:N0} characters: {hidden:N0} of {report.Changes.Count:N0} changes not shown ({ReportView.HiddenBySeverity(hiddenLines)}); `--format json` has them all.");
        }

        var urgent = view.Urgent.Where(shown.Contains).ToList();
        if (urgent.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine("### critical and high");
            builder.AppendLine();
            builder.AppendLine("| id | change | severity | category | summary | path |");
            builder.AppendLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var change in urgent)
            {
                builder.AppendLine(Row(change, change.Summary, withCategory: true));
            }
        }

        foreach (var category in view.Categories)
        {
            var rows = category.Lines.Where(l => shown.Contains(l.Change)).ToList();
            builder.Append(TableHeader(view, category.Name));
            foreach (var line in rows)
            {
                builder.AppendLine(Row(line.Change, line.Summary, withCategory: false));
            }

            if (rows.Count < category.Lines.Count)
            {
                builder.AppendLine();
                builder.AppendLine($"_{category.Lines.Except(rows).Sum(l => l.Count):N0} more not shown._");
            }
        }

        builder.Append(tail);
        return builder.ToString();
    }

    private static string TableHeader(ReportView view, string category) =>
        $"\n### {Cell(category)} ({view.Report.Summary[category].Counts})\n\n| id | change | severity | summary | path |\n| --- | --- | --- | --- | --- |\n";

    private static string Row(DriftChange change, string summary, bool withCategory)
    {
        var op = ReportView.Verb(change.Kind);
        var path = change.ExplainedBy is null ? Code(change.Path, inTable: true) : "(files of the package)";
        return withCategory
            ? $"| `{change.Id}` | {op} | {EnumNames.Of(change.Severity)} | {Cell(change.Category)} | {Cell(summary)} | {path} |"
            : $"| `{change.Id}` | {op} | {EnumNames.Of(change.Severity)} | {Cell(summary)} | {path} |";
    }

    /// <summary>Host text as markdown shows it literally: nothing in it becomes markup, HTML, an entity or a new cell.</summary>
    private static string Cell(string text) => HostText.Markdown(text);

    /// <summary>
    /// Host text in a code span: fenced by more backticks than it holds in a row (padded when it starts or ends with
    /// one), on one line; in a table a pipe is escaped, as a table reads it even inside a code span.
    /// </summary>
    private static string Code(string text, bool inTable = false)
    {
        var visible = HostText.Visible(text);
        if (inTable)
        {
            visible = visible.Replace("|", "\\|", StringComparison.Ordinal);
        }

        var longest = 0;
        for (int i = 0, run = 0; i < visible.Length; i++)
        {
            run = visible[i] == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', longest + 1);
        var pad = visible.StartsWith('`') || visible.EndsWith('`') ? " " : "";
        return $"{fence}{pad}{visible}{pad}{fence}";
    }
}
