using System.Text;
using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>The RFC 6902 patch alone, one operation a line: still one JSON array, but a million-line patch stays greppable.</summary>
internal sealed class JsonPatchFormat : IReportFormat
{
    public string Name => "json-patch";

    public string MediaType => "application/json-patch+json";

    public string Description => "the RFC 6902 array alone, one operation a line";

    public async Task WriteAsync(DriftAlert alert, Stream output, ReportFormatOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync('[').ConfigureAwait(false);
            var first = true;
            foreach (var operation in alert.Report.ToPatch())
            {
                await writer.WriteAsync(first ? "\n" : ",\n").ConfigureAwait(false);
                await writer.WriteAsync(JsonSerializer.Serialize(operation, SnapshotJson.Options)).ConfigureAwait(false);
                first = false;
            }

            await writer.WriteAsync(first ? "]\n" : "\n]\n").ConfigureAwait(false);
        }
    }
}
