using System.Text.Json;

namespace InfraDiff.Diffing;

/// <summary>One line a person reads: a change, or every change one package accounts for, collapsed under that package.</summary>
/// <param name="Change">The change (for a collapsed group, its first).</param>
/// <param name="Summary">What the line says.</param>
/// <param name="Count">How many changes the line stands for.</param>
public sealed record ReportLine(DriftChange Change, string Summary, int Count)
{
    /// <summary>
    /// The changes in the order given, those a package explains collapsed into one line per package at the place of
    /// its first change: "package coreutils 9.1-1 → 9.1-1+deb12u1: 97 file changes, all verified".
    /// </summary>
    public static IReadOnlyList<ReportLine> Collapse(IEnumerable<DriftChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var list = changes as IReadOnlyList<DriftChange> ?? changes.ToList();
        var groups = list.Where(c => c.ExplainedBy is not null).GroupBy(c => c.ExplainedBy!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var lines = new List<ReportLine>();
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in list)
        {
            if (change.ExplainedBy is not { } package)
            {
                lines.Add(new ReportLine(change, change.Summary, 1));
            }
            else if (emitted.Add(package))
            {
                var group = groups[package];
                lines.Add(new ReportLine(change, $"{package}: {Describe(group)}", group.Count));
            }
        }

        return lines;
    }

    private static string Describe(List<DriftChange> group)
    {
        // A folder has no digest to check: it is counted apart from the files, whose verification the line reports.
        var folders = group.Count(c => PackageExplainer.IsDirectory(c.Kind == ChangeKind.Remove ? c.OldValue : c.NewValue));
        var files = group.Count - folders;
        var verified = group.Count(c => !PackageExplainer.IsDirectory(c.Kind == ChangeKind.Remove ? c.OldValue : c.NewValue)
            && (c.Kind == ChangeKind.Remove || (c.NewValue.ValueKind == JsonValueKind.Object && c.NewValue.TryGetProperty("verified", out var v) && v.ValueKind == JsonValueKind.True)));
        var what = files == 1 ? "1 file change" : $"{files:N0} file changes";
        if (folders > 0)
        {
            what += folders == 1 ? " and 1 folder" : $" and {folders:N0} folders";
        }

        return verified == files ? $"{what}, all verified" : $"{what}, {verified:N0} verified, {files - verified:N0} without a recorded digest";
    }
}
