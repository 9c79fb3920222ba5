namespace InfraDiff.Reporting;

/// <summary>A format whose report is made whole, then written: what most formats are (a page, a message, a chat body).</summary>
internal abstract class OnePieceFormat(string name, string mediaType, string description) : IReportFormat
{
    public string Name => name;

    public string MediaType => mediaType;

    public string Description => description;

    public Task WriteAsync(DriftAlert alert, Stream output, ReportFormatOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        return output.WriteAsync(Render(alert, options), cancellationToken).AsTask();
    }

    /// <summary>The report, whole, as the bytes written.</summary>
    protected abstract byte[] Render(DriftAlert alert, ReportFormatOptions options);
}
