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
}

/// <summary>Renders a drift report for people (text, markdown) or machines (json, json-patch).</summary>
internal static class ReportRenderer
{
    private static readonly JsonSerializerOptions Indented = new(SnapshotJson.Options) { WriteIndented = true };

    private static readonly JsonSerializerOptions Compact = new(SnapshotJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
                    foreach (var operation in report.Patch)
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
            default:
                await WriteTextAsync(output, Text(report, colour), cancellationToken);
                break;
        }
    }

    private static async Task WriteTextAsync(Stream output, string text, CancellationToken cancellationToken) =>
        await output.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    private static string Header(DriftReport report) =>
        $"{report.Before.Host} {Time(report.Before.TakenAt)} → {report.After.Host} {Time(report.After.TakenAt)}";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Text(DriftReport report, bool colour)
    {
        string Paint(string code, string text) => colour ? $"\u001b[{code}m{text}\u001b[0m" : text;
        var builder = new StringBuilder();
        builder.AppendLine(report.HasDrift
            ? $"Drift: {Count(report.Changes.Count, "change")} ({Header(report)})"
            : $"No drift ({Header(report)})");
        foreach (var group in report.Changes.GroupBy(c => c.Category))
        {
            var summary = report.Summary[group.Key];
            builder.AppendLine();
            builder.AppendLine(Paint("1", $"{group.Key}") + $" ({summary.Added} added, {summary.Removed} removed, {summary.Changed} changed)");
            foreach (var change in group)
            {
                var (mark, markColour) = change.Op switch
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
                builder.AppendLine($"  {Paint(markColour, mark)} {Paint(severityColour, $"[{Name(change.Severity)}]")} {change.Summary}");
            }
        }

        foreach (var unknown in report.Unknown)
        {
            builder.AppendLine();
            builder.AppendLine($"{Paint("1", unknown.Category)}: not compared ({unknown.Reason})");
        }

        foreach (var notice in report.Notices)
        {
            builder.AppendLine();
            builder.AppendLine($"notice: {notice}");
        }

        return builder.ToString();
    }

    internal static string Markdown(DriftReport report)
    {
        var builder = new StringBuilder();
        builder.AppendLine(report.HasDrift ? $"## infradiff: {Count(report.Changes.Count, "change")}" : "## infradiff: no drift");
        builder.AppendLine();
        builder.AppendLine($"`{report.Before.Host}` {Time(report.Before.TakenAt)} → `{report.After.Host}` {Time(report.After.TakenAt)}");
        foreach (var group in report.Changes.GroupBy(c => c.Category))
        {
            var summary = report.Summary[group.Key];
            builder.AppendLine();
            builder.AppendLine($"### {group.Key} ({summary.Added} added, {summary.Removed} removed, {summary.Changed} changed)");
            builder.AppendLine();
            builder.AppendLine("| change | severity | summary | path |");
            builder.AppendLine("| --- | --- | --- | --- |");
            foreach (var change in group)
            {
                var op = change.Op switch { ChangeKind.Add => "added", ChangeKind.Remove => "removed", _ => "changed" };
                builder.AppendLine($"| {op} | {Name(change.Severity)} | {Cell(change.Summary)} | `{Cell(change.Path)}` |");
            }
        }

        if (report.Unknown.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine("### not compared");
            builder.AppendLine();
            foreach (var unknown in report.Unknown)
            {
                builder.AppendLine($"- **{unknown.Category}**: {Cell(unknown.Reason)}");
            }
        }

        foreach (var notice in report.Notices)
        {
            builder.AppendLine();
            builder.AppendLine($"> {notice}");
        }

        return builder.ToString();
    }

    private static string Name(Severity severity) => severity.ToString().ToLowerInvariant();

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
