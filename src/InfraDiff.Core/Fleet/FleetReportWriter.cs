using System.Text;
using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Fleet;

/// <summary>Writes a fleet report as text, markdown or JSON: the most severe, widest news first (failures, outliers, shared changes), each change once.</summary>
public static class FleetReportWriter
{
    /// <summary>Lines a section shows before it says how many it left out (the JSON report has them all).</summary>
    internal const int SectionLimit = 20;

    /// <summary>The formats a fleet report is written in.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["text", "markdown", "json"];

    /// <summary>Writes <paramref name="report"/> as text, markdown or json.</summary>
    /// <exception cref="InfraDiffException">Another format is asked for.</exception>
    public static async Task WriteAsync(FleetReport report, string format, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        if (!Formats.Contains(format))
        {
            throw new InfraDiffException($"a fleet report is written as {string.Join(", ", Formats)}, not '{Excerpt.Cut(format ?? "")}'");
        }

        if (format == "json")
        {
            await JsonSerializer.SerializeAsync(output, report, new JsonSerializerOptions(SnapshotJson.Options) { WriteIndented = true }, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            return;
        }

        await output.WriteAsync(Encoding.UTF8.GetBytes(Render(report, markdown: format == "markdown")), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>"6 hosts: 2 drifted, 2 clean, 1 baselined, 1 failed; 2 outliers".</summary>
    public static string SummaryLine(FleetReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var counts = Enum.GetValues<FleetHostStatus>()
            .Select(s => (Status: s, Count: report.Hosts.Count(h => h.Status == s)))
            .Where(c => c.Count > 0)
            .Select(c => $"{c.Count} {EnumNames.Of(c.Status)}");
        var partial = report.Hosts.Count(h => h.Partial);
        return $"{report.Hosts.Count} host{(report.Hosts.Count == 1 ? "" : "s")}: {string.Join(", ", counts)}"
            + (partial > 0 ? $" ({partial} partial)" : "")
            + $"; {report.Outliers.Count} outlier{(report.Outliers.Count == 1 ? "" : "s")}";
    }

    internal static string Render(FleetReport report, bool markdown)
    {
        var builder = new StringBuilder();
        // Every line holds host text (names, summaries, ssh's reasons): made visible, never acted on or rendered as markup.
        string Heading(string text) => markdown ? $"\n### {HostText.Markdown(text)}\n" : $"\n{HostText.Visible(text)}";
        string Item(string text) => markdown ? $"- {HostText.Markdown(text)}" : $"  {HostText.Visible(text)}";
        void Section<T>(string heading, IReadOnlyList<T> items, Func<T, string> line)
        {
            if (items.Count == 0)
            {
                return;
            }

            builder.AppendLine(Heading(heading));
            foreach (var item in items.Take(SectionLimit))
            {
                builder.AppendLine(Item(line(item)));
            }

            if (items.Count > SectionLimit)
            {
                builder.AppendLine(Item($"… and {items.Count - SectionLimit} more (--format json lists them all)"));
            }
        }

        builder.AppendLine(markdown ? $"## infradiff fleet: {HostText.Markdown(SummaryLine(report))}" : $"fleet: {SummaryLine(report)}");
        Section("Failed hosts", report.Hosts.Where(h => h.Status == FleetHostStatus.Failed || h.Partial).ToList(), h =>
            $"{h.Name}: {(h.Status == FleetHostStatus.Failed ? h.Reason : "partial snapshot (a collector failed or timed out on the host)")}");
        Section("Outliers (one host differs from all its group siblings)", report.Outliers, o =>
            $"{Mark(o.Change)} {o.Host} in {o.Group}: {o.Change.Category}: {o.Change.Summary} ({Hosts(o.Siblings)} agree)");
        Section("Changes on several hosts", report.Shared, s =>
            $"{Mark(s.Change)} {s.Change.Id} {s.Change.Category}: {s.Change.Summary} on {s.Hosts.Count} of {s.Hosts.Count + s.Without.Count} hosts" + (s.Without.Count > 0 ? $"; not on {Hosts(s.Without)}" : $" ({Hosts(s.Hosts)})"));
        Section("Changes on one host", report.ChangesOnOneHost(), c =>
            $"{Mark(c.Change)} {c.Change.Id} {c.Host}: {c.Change.Category}: {c.Change.Summary}");
        if (report.Reference is { } reference)
        {
            Section($"Against {reference}", report.AgainstReference, s =>
                $"{Mark(s.Change)} {s.Change.Category}: {s.Change.Summary} on {Hosts(s.Hosts)}");
        }

        var quiet = report.Hosts.Where(h => h.Status is FleetHostStatus.Clean or FleetHostStatus.Baselined && !h.Partial).ToList();
        foreach (var status in new[] { FleetHostStatus.Baselined, FleetHostStatus.Clean })
        {
            var names = quiet.Where(h => h.Status == status).Select(h => h.Name).ToList();
            if (names.Count > 0)
            {
                builder.AppendLine(Heading($"{(status == FleetHostStatus.Clean ? "Clean" : "Baselined (first snapshot kept as the baseline)")}: {Hosts(names)}"));
            }
        }

        return builder.ToString();
    }

    private static string Mark(DriftChange change) => $"[{EnumNames.Of(change.Severity)}]";

    /// <summary>"web01, web02, web04", or the first ten and how many more.</summary>
    private static string Hosts(IReadOnlyList<string> names) =>
        names.Count <= 10 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(10))} and {names.Count - 10} more";
}
