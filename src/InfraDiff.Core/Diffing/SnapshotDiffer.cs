using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>Compares two snapshots section by section into a <see cref="DriftReport"/>.</summary>
public static class SnapshotDiffer
{
    /// <summary>
    /// Diffs every section present in both snapshots; a section present on one side only (its collector did not
    /// succeed, or did not run) becomes one <see cref="UnknownSection"/> entry instead of "everything added/removed".
    /// </summary>
    /// <exception cref="InfraDiffException">A rule's path or pattern is invalid.</exception>
    public static DriftReport Compare(Snapshot before, Snapshot after, DriftRules? rules = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var compiled = new CompiledRules(rules ?? new DriftRules(), DateOnly.FromDateTime((clock ?? TimeProvider.System).GetUtcNow().UtcDateTime));

        var unknown = new List<UnknownSection>();
        var raw = new List<JsonChange>();
        foreach (var name in before.Sections.Keys.Union(after.Sections.Keys).Order(StringComparer.Ordinal))
        {
            var inBefore = before.Sections.TryGetValue(name, out var old);
            var inAfter = after.Sections.TryGetValue(name, out var @new);
            if (inBefore && inAfter)
            {
                JsonDiffer.Diff(old, @new, JsonPointer.Append("", name), raw);
            }
            else
            {
                unknown.Add(new UnknownSection(name, inBefore ? $"not collected in the later snapshot: {WhyMissing(after, name)}" : $"not collected in the earlier snapshot: {WhyMissing(before, name)}"));
            }
        }

        var changes = new List<DriftChange>(raw.Count);
        foreach (var change in raw)
        {
            if (compiled.IsIgnored(change.Path))
            {
                continue;
            }

            var severity = compiled.SeverityOf(change.Path, () => ChangeDescriber.Text(change.Kind == ChangeKind.Remove ? change.OldValue : change.NewValue));
            if (severity < compiled.Minimum)
            {
                continue;
            }

            var keys = JsonPointer.Parse(change.Path);
            changes.Add(new DriftChange(keys[0], change.Kind, change.Path, change.OldValue, change.NewValue, severity, ChangeDescriber.Describe(change.Kind, keys, change.OldValue, change.NewValue)));
        }

        return new DriftReport
        {
            Before = new SnapshotIdentity(before.Metadata.Host, before.Metadata.TakenAt),
            After = new SnapshotIdentity(after.Metadata.Host, after.Metadata.TakenAt),
            Summary = Summarize(changes),
            Changes = changes,
            Unknown = unknown,
            Notices = compiled.Notices,
        };
    }

    private static string WhyMissing(Snapshot snapshot, string section) =>
        snapshot.Metadata.Collectors.TryGetValue(section, out var report)
            ? $"{report.Status.ToString().ToLowerInvariant()}{(report.Reason is null ? "" : ": " + report.Reason)}"
            : "the collector did not run";

    private static SortedDictionary<string, CategorySummary> Summarize(List<DriftChange> changes) =>
        new(changes.GroupBy(c => c.Category).ToDictionary(
            g => g.Key,
            g => new CategorySummary(g.Count(c => c.Op == ChangeKind.Add), g.Count(c => c.Op == ChangeKind.Remove), g.Count(c => c.Op == ChangeKind.Replace))),
            StringComparer.Ordinal);
}
