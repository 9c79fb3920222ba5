namespace InfraDiff.Reporting;

/// <summary>Every report format by name: what <c>--format</c> offers and a webhook can post.</summary>
public static class ReportFormats
{
    // Adding a format: its class under Formats/, and one line here.
    private static readonly IReportFormat[] BuiltIn =
    [
        new TextFormat(),
        new MarkdownFormat(),
        new JunitFormat(),
        new HtmlFormat(),
        new JsonFormat(),
        new JsonPatchFormat(),
        new GitHubFormat(),
        new GenericFormat(),
        new SlackFormat(),
        new TeamsFormat(),
        new DiscordFormat(),
        new EmailFormat(),
        new EcsFormat(),
    ];

    /// <summary>Every format, in the order help lists them.</summary>
    public static IReadOnlyList<IReportFormat> All { get; } = BuiltIn;

    /// <summary>Their names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. BuiltIn.Select(f => f.Name)];

    /// <summary>The formats a webhook can post: those that write JSON.</summary>
    public static IReadOnlyList<string> WebhookNames { get; } = [.. BuiltIn.Where(IsJson).Select(f => f.Name)];

    /// <summary>The format named <paramref name="name"/>.</summary>
    /// <exception cref="InfraDiffException">No format has that name; the message lists those that do.</exception>
    public static IReportFormat Get(string name) =>
        BuiltIn.FirstOrDefault(f => f.Name == name) ?? throw new InfraDiffException($"no report format '{Excerpt.Cut(name ?? "")}' (known: {string.Join(", ", Names)})");

    /// <summary>Whether a format writes JSON (a media type of application/json or one ending in +json).</summary>
    public static bool IsJson(IReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var type = format.MediaType.Split(';')[0].Trim();
        return type == "application/json" || type.EndsWith("+json", StringComparison.Ordinal);
    }

    /// <summary>The report in the format named <paramref name="name"/>, as bytes.</summary>
    /// <exception cref="InfraDiffException">No format has that name.</exception>
    public static byte[] Render(string name, DriftAlert alert, ReportFormatOptions? options = null)
    {
        using var buffer = new MemoryStream();
        Get(name).WriteAsync(alert, buffer, options ?? ReportFormatOptions.Default).GetAwaiter().GetResult();
        return buffer.ToArray();
    }
}
