using System.Text;
using InfraDiff.Diffing;

namespace InfraDiff.Cli.Rendering;

/// <summary>
/// What a GitHub Actions job gets besides the report on stdout: the markdown report appended to the step summary
/// (<c>GITHUB_STEP_SUMMARY</c>), the drift flag and counts as step outputs (<c>GITHUB_OUTPUT</c>), and each critical
/// change as an <c>::error</c> and each high one as a <c>::warning</c> annotation, written to stderr (the runner reads
/// workflow commands on both streams; stdout stays the report).
/// </summary>
internal static class GitHubActions
{
    public static async Task WriteAsync(DriftReport report, TextWriter annotations, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            await File.AppendAllTextAsync(summary, ReportRenderer.Markdown(report) + "\n", new UTF8Encoding(false), cancellationToken);
        }

        if (Environment.GetEnvironmentVariable("GITHUB_OUTPUT") is { Length: > 0 } outputs)
        {
            await File.AppendAllTextAsync(outputs, Outputs(report), new UTF8Encoding(false), cancellationToken);
        }

        if (Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true")
        {
            foreach (var change in ReportRenderer.BySeverity(report.Changes).Where(c => c.Severity >= Severity.High))
            {
                await annotations.WriteLineAsync(Annotation(change).AsMemory(), cancellationToken);
            }
        }
    }

    /// <summary>drift=true|false, changes, one count per severity, and how many parts were not compared.</summary>
    internal static string Outputs(DriftReport report)
    {
        var lines = new StringBuilder();
        lines.Append($"drift={(report.HasDrift ? "true" : "false")}\n");
        lines.Append($"changes={report.Changes.Count}\n");
        foreach (var severity in ReportRenderer.Severities)
        {
            lines.Append($"{EnumNames.Of(severity)}={report.Changes.Count(c => c.Severity == severity)}\n");
        }

        lines.Append($"not_compared={report.Unknown.Count}\n");
        return lines.ToString();
    }

    /// <summary>"::error title=…::…": the summary as the title, the severity, category and path as the message.</summary>
    internal static string Annotation(DriftChange change)
    {
        var command = change.Severity == Severity.Critical ? "error" : "warning";
        var title = Property($"infradiff {EnumNames.Of(change.Severity)}: {change.Summary}");
        return $"::{command} title={title}::{Data($"{change.Category}: {change.Summary} ({change.Path})")}";
    }

    /// <summary>A workflow command's message: one line, '%' escaped so no "%0A" the host wrote decodes into a new command.</summary>
    private static string Data(string text) =>
        HostText.Clean(text).Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>A workflow command's property value: as a message, and ':' and ',' escaped too, so "::" cannot end the properties early.</summary>
    private static string Property(string text) =>
        Data(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
