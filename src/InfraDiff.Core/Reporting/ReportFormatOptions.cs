namespace InfraDiff.Reporting;

/// <summary>How a report is written.</summary>
public sealed class ReportFormatOptions
{
    /// <summary>The defaults: no colour, each format's own size limit.</summary>
    public static ReportFormatOptions Default { get; } = new();

    /// <summary>Whether the text report is coloured with ANSI escapes (for a terminal). Default: false.</summary>
    public bool Colour { get; init; }

    /// <summary>
    /// The most the written report may take, in the format's own unit (markdown: characters; generic JSON: bytes; HTML:
    /// bytes of data): past it, the least severe lines are left out and counted. Null: the format's own limit (markdown
    /// 65,536 characters, what a GitHub comment holds; generic 256 KB; HTML 4 MB).
    /// </summary>
    public int? Budget { get; init; }
}
