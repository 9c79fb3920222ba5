using System.Net;
using System.Text;
using MimeKit;

namespace InfraDiff.Reporting;

/// <summary>
/// An email (RFC 5322, MIME): the title as subject, plain text and HTML alternatives of the same lines, most severe
/// first, host text escaped in the HTML. The email sink adds the sender and recipients.
/// </summary>
internal sealed class EmailFormat : IReportFormat
{
    public string Name => "email";

    public string MediaType => "message/rfc822";

    public string Description => "an email message (MIME, text and HTML), as the email sink sends it";

    public Task WriteAsync(DriftAlert alert, Stream output, ReportFormatOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(output);
        return Message(alert).WriteToAsync(output, cancellationToken);
    }

    /// <summary>The message without sender or recipients: subject the title, text and HTML alternatives listing the lines most severe first.</summary>
    internal static MimeMessage Message(DriftAlert alert)
    {
        var report = alert.Report;
        var title = ChatText.Title(alert);
        var when = ChatText.When(alert);
        var text = new StringBuilder().AppendLine(title).AppendLine(when).AppendLine();
        var html = new StringBuilder($"<html><body><h2>{Encode(title)}</h2><p>{when}</p><table>");
        foreach (var (category, summary) in report.Summary)
        {
            text.AppendLine($"{HostText.Clean(category)}: {summary.Counts}");
            html.Append($"<tr><td>{Encode(category)}</td><td>{summary.Counts}</td></tr>");
        }

        text.AppendLine();
        html.Append("</table><ul>");
        foreach (var line in ReportView.Of(report).Lines)
        {
            var severity = EnumNames.Of(line.Change.Severity);
            text.AppendLine($"[{severity}] {line.Change.Id} {HostText.Clean(line.Summary)}");
            html.Append($"<li><b>[{severity}]</b> <code>{line.Change.Id}</code> {Encode(line.Summary)}</li>");
        }

        html.Append("</ul></body></html>");
        var message = new MimeMessage
        {
            Subject = title,
            Body = new MultipartAlternative
            {
                new TextPart("plain") { Text = text.ToString() },
                new TextPart("html") { Text = html.ToString() },
            },
        };
        message.Headers.Add("X-InfraDiff-Idempotency-Key", alert.IdempotencyKey);
        return message;

        static string Encode(string host) => WebUtility.HtmlEncode(HostText.Clean(host));
    }
}
