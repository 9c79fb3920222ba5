namespace InfraDiff.Reporting;

/// <summary>
/// Writes a drift report in one format: a report for people (text, markdown, HTML), for CI (JUnit, GitHub
/// annotations), for a receiver (generic JSON, Slack, Teams, Discord, email) or for machines (JSON, JSON Patch).
/// Register one in <see cref="ReportFormats"/> to make it a <c>--format</c> and a webhook body.
/// </summary>
public interface IReportFormat
{
    /// <summary>The format's name, as <c>--format</c> and <see cref="Alerting.WebhookOptions.Format"/> take it ("markdown").</summary>
    string Name { get; }

    /// <summary>What it writes, as a media type ("application/json"): a webhook posts only a JSON format.</summary>
    string MediaType { get; }

    /// <summary>One sentence on what it is for, shown by <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>Writes <paramref name="alert"/>'s report to <paramref name="output"/>.</summary>
    Task WriteAsync(DriftAlert alert, Stream output, ReportFormatOptions options, CancellationToken cancellationToken = default);
}
