using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Reporting;

/// <summary>
/// How reports write JSON, in one place, made on first use (a command that writes no JSON report never loads the
/// encoders): indented, and the HTML page's data block (compact JSON is the snapshot's own).
/// </summary>
internal static class ReportJson
{
    /// <summary>The JSON report: indented, as canonical snapshots are.</summary>
    public static readonly JsonSerializerOptions Indented = new(SnapshotJson.Options) { WriteIndented = true };

    /// <summary>Every letter as itself (a smaller page), but &lt;, &gt;, &amp;, quotes and the like escaped: nothing can close the page's data block.</summary>
    public static readonly JsonSerializerOptions HtmlData = new() { Encoder = HostJsonEncoder.Html };
}
