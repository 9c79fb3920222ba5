using System.Text.Json;

namespace InfraDiff.Reporting;

/// <summary>The whole report as JSON, every change with its values and the RFC 6902 patch: what <c>infradiff alert</c> reads back.</summary>
internal sealed class JsonFormat : IReportFormat
{
    public string Name => "json";

    public string MediaType => "application/json";

    public string Description => "the whole report with every change's values and the RFC 6902 patch, for machines (what 'infradiff alert' reads)";

    public async Task WriteAsync(DriftAlert alert, Stream output, ReportFormatOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(output);
        await JsonSerializer.SerializeAsync(output, alert.Report, ReportJson.Indented, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }
}
