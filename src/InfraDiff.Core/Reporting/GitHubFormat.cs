using System.Text;
using InfraDiff.Diffing;

namespace InfraDiff.Reporting;

/// <summary>
/// GitHub Actions workflow commands: an <c>::error</c> annotation per critical change and a <c>::warning</c> per high
/// one, each one line whatever the host wrote (what <see cref="GitHubActions"/> writes to stderr beside the report).
/// </summary>
internal sealed class GitHubFormat() : OnePieceFormat("github", "text/plain; charset=utf-8", "GitHub Actions annotations: an error per critical change, a warning per high one")
{
    protected override byte[] Render(DriftAlert alert, ReportFormatOptions options) =>
        Encoding.UTF8.GetBytes(string.Concat(ReportView.Of(alert.Report).Urgent.Select(c => Annotation(c) + "\n")));

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
