using System.Text.Json;
using InfraDiff.Sections;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>Compares two snapshots section by section into a <see cref="DriftReport"/>.</summary>
public static class SnapshotDiffer
{
    /// <summary>
    /// Diffs every section present in both snapshots; a section present on one side only (its collector did not
    /// succeed, or did not run) becomes one <see cref="UnknownSection"/> entry instead of "everything added/removed",
    /// and so does each part a collector reported unavailable on either side (its values are not compared).
    /// </summary>
    /// <exception cref="InfraDiffException">A rule's path or pattern is invalid.</exception>
    public static DriftReport Compare(Snapshot before, Snapshot after, DriftRules? rules = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Compare(new SnapshotPair(before, after, null), rules, clock);
    }

    /// <summary>
    /// Reads two snapshot files and compares them as <see cref="Compare(Snapshot, Snapshot, DriftRules?, TimeProvider?)"/>
    /// does. Their files sections are merged from the files' text rather than parsed: two snapshots of a million
    /// files each take about their own size in memory, and only the entries that differ are parsed.
    /// </summary>
    /// <exception cref="InvalidSnapshotException">Either file is missing, unreadable, not JSON, or not a snapshot; when both are, the first is named.</exception>
    /// <exception cref="InfraDiffException">A rule's path or pattern is invalid.</exception>
    public static async Task<DriftReport> CompareAsync(string beforePath, string afterPath, DriftRules? rules = null, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(beforePath);
        ArgumentException.ThrowIfNullOrEmpty(afterPath);
        return Compare(await SnapshotFile.ReadPairAsync(beforePath, afterPath, cancellationToken).ConfigureAwait(false), rules, clock);
    }

    private static DriftReport Compare(SnapshotPair pair, DriftRules? rules, TimeProvider? clock)
    {
        var (before, after, files) = pair;
        var compiled = new CompiledRules(rules ?? new DriftRules(), DateOnly.FromDateTime((clock ?? TimeProvider.System).GetUtcNow().UtcDateTime), before.Sections.Keys.Concat(after.Sections.Keys));
        var sections = compiled.Sections;

        var unknown = new List<UnknownSection>();
        var uncompared = new List<PointerGlob>();
        var raw = new List<JsonChange>();
        var compared = new List<string>();
        foreach (var name in before.Sections.Keys.Union(after.Sections.Keys).Order(StringComparer.Ordinal))
        {
            var inBefore = before.Sections.TryGetValue(name, out var old);
            var inAfter = after.Sections.TryGetValue(name, out var @new);
            if (inBefore && inAfter)
            {
                compared.Add(name);
                var path = JsonPointer.Append("", name);
                if (name == FilesSection.SectionName && files is var (oldFiles, newFiles))
                {
                    DiffEntries(SectionText.Differing(oldFiles, newFiles), path, raw);
                }
                else
                {
                    JsonDiffer.Diff(old, @new, path, raw);
                }

                foreach (var (part, reason) in UnavailableParts(before, after, name))
                {
                    unknown.Add(new UnknownSection(name, reason, part));
                    uncompared.AddRange(PathsOf(sections[name], part).Select(p => new PointerGlob(p)));
                }
            }
            else
            {
                unknown.Add(new UnknownSection(name, inBefore ? $"not collected in the later snapshot: {WhyMissing(after, name)}" : $"not collected in the earlier snapshot: {WhyMissing(before, name)}"));
            }
        }

        var kept = raw.Where(c => !compiled.IsIgnored(c.Path) && !uncompared.Any(g => g.Matches(c.Path))).ToList();
        compiled.NoteRulesThatMatchNothing(pair);
        var changes = new List<DriftChange>(kept.Count);
        var entries = new SectionEntries(pair, ContentChanges.Entries(kept, sections).Concat(PackageExplainer.Entries(kept)));
        var explainer = new PackageExplainer(before, after, entries);
        foreach (var change in ContentChanges.Merge(kept, raw.Count != kept.Count, entries, sections))
        {
            // What the package database accounts for is low, whatever the path; what it contradicts goes by the rules.
            var keys = JsonPointer.Parse(change.Path);
            var section = sections[keys[0]];
            var explainedBy = explainer.Explain(change);
            var severity = explainedBy is null ? compiled.SeverityOf(change, section.Name) : Severity.Low;
            var summary = section.Summarize(new SectionChange(change.Kind, change.Path, keys.Skip(1).ToArray(), change.OldValue, change.NewValue));
            if (explainer.Mismatch(change) is { } mismatch)
            {
                summary = $"{mismatch}; {summary.Split(": ", 2)[^1]}";
            }

            changes.Add(new DriftChange(section.Name, change.Kind, change.Path, change.OldValue, change.NewValue, severity, summary)
            {
                ExplainedBy = explainedBy?.Why,
                ExplainedByPath = explainedBy?.PackagePath,
            });
        }

        // Below the minimum severity only now: a directory is explained by the changes below it, whatever theirs.
        var all = changes.Count;
        changes = EventChanges.Fold(PackageExplainer.ExplainDirectories(changes), sections).Where(c => c.Severity >= compiled.Minimum).ToList();
        var belowMinimum = all - changes.Count;
        var waived = new List<WaivedChange>();
        var alerting = new List<DriftChange>(changes.Count);
        foreach (var change in changes)
        {
            switch (compiled.WaiverOf(change))
            {
                case ({ } waiver, false):
                    waived.Add(new WaivedChange(change, waiver));
                    break;
                case ({ } waiver, true):
                    alerting.Add(change with { Summary = $"{change.Summary} (waiver expired on {waiver.Expires:yyyy-MM-dd})" });
                    break;
                default:
                    alerting.Add(change);
                    break;
            }
        }

        changes = alerting;
        return new DriftReport
        {
            Before = new SnapshotIdentity(before.Metadata.Host, before.Metadata.TakenAt),
            After = new SnapshotIdentity(after.Metadata.Host, after.Metadata.TakenAt),
            Summary = Summarize(changes),
            Changes = changes,
            Unknown = unknown,
            Waived = waived,
            Compared = compared,
            Notices = compiled.Notices,
            BelowMinimum = belowMinimum,
        };
    }

    /// <summary>The changes between two sections' differing members (<see cref="SectionText.Differing"/>): added, removed, or diffed value by value.</summary>
    private static void DiffEntries(IEnumerable<(string Name, JsonElement Before, JsonElement After)> members, string path, List<JsonChange> changes)
    {
        foreach (var (name, before, after) in members)
        {
            var memberPath = JsonPointer.Append(path, name);
            if (before.ValueKind == JsonValueKind.Undefined)
            {
                changes.Add(new JsonChange(ChangeKind.Add, memberPath, default, after));
            }
            else if (after.ValueKind == JsonValueKind.Undefined)
            {
                changes.Add(new JsonChange(ChangeKind.Remove, memberPath, before, default));
            }
            else
            {
                JsonDiffer.Diff(before, after, memberPath, changes);
            }
        }
    }

    /// <summary>The parts of a section a collector reported unavailable or failed on either side, with why.</summary>
    private static IEnumerable<(string Part, string Reason)> UnavailableParts(Snapshot before, Snapshot after, string section)
    {
        var earlier = Parts(before.Metadata.Collectors.GetValueOrDefault(section));
        var later = Parts(after.Metadata.Collectors.GetValueOrDefault(section));
        foreach (var part in earlier.Keys.Union(later.Keys).Order(StringComparer.Ordinal))
        {
            var inEarlier = earlier.TryGetValue(part, out var a);
            var inLater = later.TryGetValue(part, out var b);
            yield return (part, inEarlier && inLater ? (a == b ? $"unavailable: {a}" : $"unavailable: {a}; later: {b}")
                : inLater ? $"unavailable in the later snapshot: {b}"
                : $"unavailable in the earlier snapshot: {a}");
        }
    }

    private static Dictionary<string, string> Parts(CollectorReport? report)
    {
        var parts = new Dictionary<string, string>(report?.Unavailable ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (part, reason) in report?.Failed ?? new Dictionary<string, string>())
        {
            parts[part] = "failed: " + reason;
        }

        return parts;
    }

    /// <summary>
    /// Where a part's values are: as the section lists them (<see cref="SectionDescriptor.Parts"/>), else a pointer
    /// below the section ("accounts/alice/authorizedKeys"), else its own key with dots for nesting ("firewall.iptables"
    /// is /network/firewall/iptables).
    /// </summary>
    private static IEnumerable<string> PathsOf(SectionDescriptor section, string part) =>
        section.Parts.TryGetValue(part, out var paths) ? paths
        : part.Contains('/', StringComparison.Ordinal) ? [section.Path + "/" + part]
        : [part.Split('.').Aggregate(section.Path, JsonPointer.Append)];

    private static string WhyMissing(Snapshot snapshot, string section) =>
        snapshot.Metadata.Collectors.TryGetValue(section, out var report)
            ? $"{EnumNames.Of(report.Status)}{(report.Reason is null ? "" : ": " + report.Reason)}"
            : "the collector did not run";

    /// <summary>Added, removed and changed counts per category.</summary>
    internal static SortedDictionary<string, CategorySummary> Summarize(List<DriftChange> changes) =>
        new(changes.GroupBy(c => c.Category).ToDictionary(
            g => g.Key,
            g => new CategorySummary(g.Count(c => c.Kind == ChangeKind.Add), g.Count(c => c.Kind == ChangeKind.Remove), g.Count(c => c.Kind == ChangeKind.Replace))),
            StringComparer.Ordinal);
}
