using System.Text;
using InfraDiff.Diffing;

namespace InfraDiff.Reporting;

/// <summary>The report for a terminal or a log: the summary line, every critical and high change, then each category's lines.</summary>
internal sealed class TextFormat() : OnePieceFormat("text", "text/plain; charset=utf-8", "grouped by category, the critical and high changes first; coloured on a terminal")
{
    protected override byte[] Render(DriftAlert alert, ReportFormatOptions options) => Encoding.UTF8.GetBytes(Text(ReportView.Of(alert.Report), options.Colour));

    internal static string Text(ReportView view, bool colour)
    {
        string Paint(string code, string text) => colour ? $"\u001b[{code}m{text}\u001b[0m" : text;
        string Line(DriftChange change, string summary, bool withCategory)
        {
            var markColour = change.Kind switch { ChangeKind.Add => "32", ChangeKind.Remove => "31", _ => "33" };
            var severityColour = change.Severity switch
            {
                Severity.Critical => "1;35",
                Severity.High => "31",
                Severity.Medium => "33",
                _ => "2",
            };
            return $"  {Paint(markColour, ReportView.Mark(change.Kind))} {Paint(severityColour, $"[{EnumNames.Of(change.Severity)}]")} {Paint("2", change.Id)} {(withCategory ? V(change.Category) + ": " : "")}{V(summary)}";
        }

        // Host text is made visible, never acted on: no line break, escape sequence or bidi override of the host's reaches the terminal.
        static string V(string text) => HostText.Visible(text);
        var builder = new StringBuilder();
        builder.AppendLine($"{view.SummaryLine} ({V(view.Header)})");
        if (view.Urgent.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine(Paint("1", "critical and high"));
            foreach (var change in view.Urgent)
            {
                builder.AppendLine(Line(change, change.Summary, withCategory: true));
            }
        }

        foreach (var category in view.Categories)
        {
            builder.AppendLine();
            builder.AppendLine(Paint("1", V(category.Name)) + $" ({category.Summary.Counts})");
            foreach (var line in category.Lines)
            {
                builder.AppendLine(Line(line.Change, line.Summary, withCategory: false));
            }
        }

        if (view.Waived.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine(Paint("1", "waived") + $" ({view.Waived.Count})");
            foreach (var (change, waiver) in view.Waived)
            {
                builder.AppendLine(Line(change, $"{change.Summary} — {ReportView.WaivedBecause(waiver)}", withCategory: true));
            }
        }

        if (view.NotCompared.Count > 0)
        {
            builder.AppendLine();
        }

        foreach (var notCompared in view.NotCompared)
        {
            builder.AppendLine($"{Paint("1", V(notCompared.What))}: not compared ({V(notCompared.Reason)})");
        }

        foreach (var notice in view.Report.Notices)
        {
            builder.AppendLine();
            builder.AppendLine($"notice: {V(notice)}");
        }

        return builder.ToString();
    }
}
