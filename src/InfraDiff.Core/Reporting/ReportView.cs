using System.Globalization;
using System.Runtime.CompilerServices;
using InfraDiff.Diffing;
using InfraDiff.Sections.Files;

namespace InfraDiff.Reporting;

/// <summary>
/// A drift report as every format tells it, computed once: the counts, the lines (a package's explained files told on
/// its own line, the package's, or on one line of their own), ordered most severe first, grouped by category, and the
/// parts not compared grouped by their reason. Formats differ in layout and budget, never in what they say.
/// </summary>
internal sealed class ReportView
{
    private static readonly ConditionalWeakTable<DriftReport, ReportView> Views = [];

    /// <summary>The severities, most severe first: the order every report counts them in.</summary>
    public static readonly Severity[] Severities = [Severity.Critical, Severity.High, Severity.Medium, Severity.Low];

    private ReportView(DriftReport report)
    {
        Report = report;

        // A transient path (created and deleted between two cycles) is told as a change is; it is in no patch.
        IReadOnlyList<DriftChange> changes = report.Transient.Count == 0 ? report.Changes : [.. report.Changes, .. report.Transient];
        Counts = Severities.ToDictionary(s => s, s => changes.Count(c => c.Severity == s));
        SummaryLine = (!report.HasDrift ? "No drift" : $"{Count(changes.Count, "change")}: " + string.Join(", ", Severities.Select(s => $"{Counts[s]} {EnumNames.Of(s)}")))
            + (report.Transient.Count > 0 ? $" ({Count(report.Transient.Count, "path")} created and deleted between cycles)" : "")
            + (report.Waived.Count > 0 ? $" ({Count(report.Waived.Count, "change")} waived)" : "")
            + (report.BelowMinimum > 0 ? $" ({Count(report.BelowMinimum, "change")} below the minimum severity not shown)" : "");
        Header = $"{report.Before.Host} {Time(report.Before.TakenAt)} → {report.After.Host} {Time(report.After.TakenAt)}"
            + (report.Cycle is { } cycle ? $" ({cycle} cycle)" : "");
        var order = new Dictionary<DriftChange, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < changes.Count; i++)
        {
            order.TryAdd(changes[i], i);
        }

        Urgent = [.. BySeverity(changes.Where(c => c.Severity >= Severity.High))];
        Categories = CategoriesOf(report, changes, order);
        Lines = [.. Categories.SelectMany(c => c.Lines).OrderBy(l => Array.IndexOf(Severities, l.Change.Severity)).ThenBy(l => l.Order)];
        Waived = [.. report.Waived.OrderByDescending(w => w.Change.Severity)];
        NotCompared = [.. report.Unknown.GroupBy(u => u.Reason, StringComparer.Ordinal).Select(g => new NotCompared(Names(g), g.Key, [.. g]))];
    }

    /// <summary>The view of <paramref name="report"/>, made once however many formats and sinks tell it.</summary>
    public static ReportView Of(DriftReport report) => Views.GetValue(report, r => new ReportView(r));

    public DriftReport Report { get; }

    /// <summary>"905 changes: 1 critical, 5 high, 12 medium, 887 low"; "No drift" when nothing changed; and how many changes the minimum severity hid.</summary>
    public string SummaryLine { get; }

    /// <summary>"web1 2026-11-27T14:00:00Z → web1 2026-11-27T15:00:00Z".</summary>
    public string Header { get; }

    /// <summary>How many changes there are of each severity.</summary>
    public IReadOnlyDictionary<Severity, int> Counts { get; }

    /// <summary>The critical and high changes one by one, most severe first, in patch order within a severity.</summary>
    public IReadOnlyList<DriftChange> Urgent { get; }

    /// <summary>The categories with lines of their own, the one with the most severe line first, then by name.</summary>
    public IReadOnlyList<CategoryView> Categories { get; }

    /// <summary>Every line, most severe first, in patch order within a severity.</summary>
    public IReadOnlyList<ReportLine> Lines { get; }

    /// <summary>The changes waivers let through, most severe first.</summary>
    public IReadOnlyList<WaivedChange> Waived { get; }

    /// <summary>"waived until 2027-01-31 by alice: nightly certificate renewal": what a report says of a waived change.</summary>
    public static string WaivedBecause(Waiver waiver) =>
        $"waived until {waiver.Expires:yyyy-MM-dd}{(waiver.By is { } by ? " by " + by : "")}: {waiver.Reason}";

    /// <summary>What was not compared, one entry per reason.</summary>
    public IReadOnlyList<NotCompared> NotCompared { get; }

    /// <summary>The lines a budget leaves room for, most severe first (each costing what <paramref name="cost"/> says), and the rest.</summary>
    public (IReadOnlyList<ReportLine> Shown, IReadOnlyList<ReportLine> Hidden) Cut(long budget, Func<ReportLine, long> cost)
    {
        var shown = new List<ReportLine>();
        var i = 0;
        for (; i < Lines.Count; i++)
        {
            var price = cost(Lines[i]);
            if (price > budget)
            {
                break;
            }

            budget -= price;
            shown.Add(Lines[i]);
        }

        return (shown, [.. Lines.Skip(i)]);
    }

    /// <summary>"1,204 low, 3 medium": how many changes the lines left out stand for, by severity, most severe first.</summary>
    public static string HiddenBySeverity(IReadOnlyCollection<ReportLine> hidden) =>
        string.Join(", ", Severities.Select(s => (s, hidden.Where(l => l.Change.Severity == s).Sum(l => l.Count))).Where(x => x.Item2 > 0).Select(x => $"{x.Item2:N0} {EnumNames.Of(x.s)}"));

    /// <summary>"2026-11-27T14:00:00Z".</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"added", "removed" or "changed": a change's kind as a report line says it.</summary>
    public static string Verb(ChangeKind kind) => kind switch { ChangeKind.Add => "added", ChangeKind.Remove => "removed", _ => "changed" };

    /// <summary>"+", "-" or "~".</summary>
    public static string Mark(ChangeKind kind) => kind switch { ChangeKind.Add => "+", ChangeKind.Remove => "-", _ => "~" };

    /// <summary>The changes most severe first, in patch order within a severity.</summary>
    public static IEnumerable<DriftChange> BySeverity(IEnumerable<DriftChange> changes) => changes.OrderByDescending(c => c.Severity);

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>
    /// Each category's lines: its changes most severe first, those a package explains told once per package, on the
    /// package's own line when the package's change is in the report ("package apt: 2.6.1 → 2.6.2; 125 file changes,
    /// all verified"), else on a line of their own at the place of the first. A category left without lines of its own
    /// is not listed (its changes are told on their packages' lines).
    /// </summary>
    private static List<CategoryView> CategoriesOf(DriftReport report, IReadOnlyList<DriftChange> changes, Dictionary<DriftChange, int> order)
    {
        var explained = changes.Where(c => c.ExplainedBy is not null).GroupBy(c => c.ExplainedBy!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        // A package whose change is in the report tells its files, on the line of its change (its first, when its
        // version and architecture both changed): package path → its explained changes.
        var changed = changes.Where(c => c.ExplainedBy is null).Select(c => SectionEntries.OwnKeyOf(c.Path)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var told = explained.Values.Where(g => g[0].ExplainedByPath is { } path && changed.Contains(path)).ToDictionary(g => g[0].ExplainedByPath!, StringComparer.Ordinal);

        // Fields of one event are told on the line of the first: path → how many more it tells.
        var paths = changes.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var toldWith = changes.Where(c => c.ToldWith is { } lead && paths.Contains(lead)).CountBy(c => c.ToldWith!, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);

        var categories = new List<CategoryView>();
        foreach (var category in changes.GroupBy(c => c.Category, StringComparer.Ordinal))
        {
            var lines = new List<ReportLine>();
            var emitted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in BySeverity(category))
            {
                if (change.ToldWith is { } lead && paths.Contains(lead))
                {
                    continue;
                }

                if (change.ExplainedBy is not { } package)
                {
                    lines.Add(SectionEntries.OwnKeyOf(change.Path) is { } own && told.Remove(own, out var files)
                        ? new ReportLine(change, $"{change.Summary}; {Describe(files)}", files.Count + 1) { Explained = files, Order = order[change] }
                        : new ReportLine(change, change.Summary, 1 + toldWith.GetValueOrDefault(change.Path)) { Order = order[change] });
                }
                else if ((change.ExplainedByPath is null || !changed.Contains(change.ExplainedByPath)) && emitted.Add(package))
                {
                    var group = explained[package];
                    lines.Add(new ReportLine(change, $"{package}: {Describe(group)}", group.Count) { Explained = group, Order = order[change] });
                }
            }

            if (lines.Count > 0)
            {
                categories.Add(new CategoryView(category.Key, report.Summary.GetValueOrDefault(category.Key) ?? new CategorySummary(0, 0, 0), lines));
            }
        }

        return [.. categories.OrderByDescending(c => c.Lines.Max(l => l.Change.Severity)).ThenBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>"125 file changes and 3 folders, all verified": what a package's explained changes are.</summary>
    private static string Describe(List<DriftChange> group)
    {
        // A folder has no digest to check: it is counted apart from the files, whose verification the line reports.
        var folders = group.Count(c => PackageExplainer.IsDirectory(c.Kind == ChangeKind.Remove ? c.OldValue : c.NewValue));
        var files = group.Count - folders;
        var verified = group.Count(c => !PackageExplainer.IsDirectory(c.Kind == ChangeKind.Remove ? c.OldValue : c.NewValue)
            && (c.Kind == ChangeKind.Remove || FileEntry.Read(c.NewValue)?.Verified == true));
        var what = files == 1 ? "1 file change" : $"{files:N0} file changes";
        if (folders > 0)
        {
            what += folders == 1 ? " and 1 folder" : $" and {folders:N0} folders";
        }

        return verified == files ? $"{what}, all verified" : $"{what}, {verified:N0} verified, {files - verified:N0} without a recorded digest";
    }

    /// <summary>"os kernel, modules, mounts; network runtime": the parts one reason kept from being compared.</summary>
    private static string Names(IEnumerable<UnknownSection> unknown) =>
        string.Join("; ", unknown.GroupBy(u => u.Category, StringComparer.Ordinal).Select(g =>
            g.Any(u => u.Part is null) ? g.Key : $"{g.Key} {string.Join(", ", g.Select(u => u.Part))}"));
}

/// <summary>A category's lines, with its counts.</summary>
internal sealed record CategoryView(string Name, CategorySummary Summary, IReadOnlyList<ReportLine> Lines);

/// <summary>Parts not compared for one reason: "os kernel, modules, mounts" and why.</summary>
internal sealed record NotCompared(string What, string Reason, IReadOnlyList<UnknownSection> Parts);
