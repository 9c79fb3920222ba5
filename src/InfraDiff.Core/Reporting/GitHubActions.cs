using System.Text;
using InfraDiff.Diffing;
using InfraDiff.Host;

namespace InfraDiff.Reporting;

/// <summary>
/// What a GitHub Actions job gets besides the report: the markdown report appended to the step summary
/// (<c>GITHUB_STEP_SUMMARY</c>), the drift flag and counts as step outputs (<c>GITHUB_OUTPUT</c>), and each critical
/// change as an <c>::error</c> and each high one as a <c>::warning</c> annotation (the runner reads workflow commands on
/// stdout and stderr alike; a tool keeps stdout for its report).
/// </summary>
public static class GitHubActions
{
    /// <summary>Whether this process runs in a GitHub Actions job (<c>GITHUB_ACTIONS=true</c>).</summary>
    public static bool Active => Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true";

    /// <summary>Writes what the job's environment asks for: the step summary and outputs when their files are named, annotations to <paramref name="annotations"/> in a job.</summary>
    public static async Task WriteAsync(DriftReport report, TextWriter annotations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(annotations);
        var view = ReportView.Of(report);
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            await File.AppendAllTextAsync(summary, MarkdownFormat.Markdown(view) + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }

        if (Environment.GetEnvironmentVariable("GITHUB_OUTPUT") is { Length: > 0 } outputs)
        {
            await File.AppendAllTextAsync(outputs, Outputs(view), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        }

        if (Active)
        {
            foreach (var change in view.Urgent)
            {
                await annotations.WriteLineAsync(GitHubFormat.Annotation(change).AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="alert"/> in <paramref name="format"/> to <paramref name="stdout"/>, the process's standard
    /// output. In a job, a report for people (text, markdown) that goes to the runner rather than to a file is written
    /// between <c>::stop-commands::TOKEN</c> and <c>::TOKEN::</c> (a random token each time): the runner then takes no
    /// workflow command from it, whatever host text it holds. JSON, XML and HTML hold host text only inside escaped
    /// strings, so no line of theirs can be a command, and they stay documents a later step can parse.
    /// </summary>
    public static async Task WriteReportAsync(IReportFormat format, DriftAlert alert, Stream stdout, ReportFormatOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(stdout);
        if (!Active || format is GitHubFormat || !format.MediaType.StartsWith("text/plain", StringComparison.Ordinal) && !format.MediaType.StartsWith("text/markdown", StringComparison.Ordinal) || StdoutIsAFile())
        {
            await format.WriteAsync(alert, stdout, options, cancellationToken).ConfigureAwait(false);
            return;
        }

        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await stdout.WriteAsync(Encoding.UTF8.GetBytes($"::stop-commands::{token}\n"), cancellationToken).ConfigureAwait(false);
        try
        {
            await format.WriteAsync(alert, stdout, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stdout.WriteAsync(Encoding.UTF8.GetBytes($"\n::{token}::\n"), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Whether standard output is a regular file (<c>&gt; report.md</c>), which the runner never reads.</summary>
    private static bool StdoutIsAFile()
    {
        using var stdout = new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false);
        try
        {
            return (LinuxFile.ModeOf(stdout) & LinuxFile.TypeMask) == LinuxFile.TypeRegular;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>drift=true|false, changes, one count per severity, and how many parts were not compared.</summary>
    internal static string Outputs(ReportView view)
    {
        var lines = new StringBuilder();
        lines.Append($"drift={(view.Report.HasDrift ? "true" : "false")}\n");
        lines.Append($"changes={view.Report.Changes.Count}\n");
        foreach (var severity in ReportView.Severities)
        {
            lines.Append($"{EnumNames.Of(severity)}={view.Counts[severity]}\n");
        }

        lines.Append($"not_compared={view.Report.Unknown.Count}\n");
        return lines.ToString();
    }
}
