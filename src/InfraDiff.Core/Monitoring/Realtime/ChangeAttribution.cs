using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;

namespace InfraDiff.Monitoring.Realtime;

/// <summary>Adds to a cycle's report what real-time watching saw: who made each change, and the paths that came and went between cycles.</summary>
internal static class ChangeAttribution
{
    private static readonly JsonElement TransientValue = JsonDocument.Parse("""{"transient":"created and deleted between two cycles"}""").RootElement;

    /// <summary>
    /// The report with each change's <see cref="DriftChange.By"/> (and its summary) from the batch: a file's change from
    /// the writes to that path, another section's from the writes to its inputs (the first writer, with how many others
    /// there were); a change nobody was seen making keeps none. Paths created and deleted again (not moved away) before
    /// the cycle, outside a package manager's work, are <see cref="DriftReport.Transient"/>.
    /// </summary>
    public static DriftReport Attribute(DriftReport report, TouchBatch? batch, Snapshotter snapshotter, DriftRules rules, TimeProvider clock, Func<string, string> realPathOf)
    {
        if (batch is null || batch.Paths.Count == 0)
        {
            return report;
        }

        // Each section's touched inputs (the files section: the paths it records), asked once a path.
        var bySection = new Dictionary<string, List<(string Path, Touch Touch)>>(StringComparer.Ordinal);
        foreach (var (path, touch) in batch.Paths)
        {
            foreach (var section in snapshotter.SectionsReading(path))
            {
                (bySection.TryGetValue(section, out var list) ? list : bySection[section] = []).Add((path, touch));
            }
        }

        ChangeActor? Who(DriftChange change)
        {
            if (change.Category == FilesSection.SectionName)
            {
                // The path's own writer; for what came beneath a folder moved in, the mover.
                if (JsonPointer.Parse(change.Path) is not [_, var path, ..])
                {
                    return null;
                }

                if (batch.Paths.TryGetValue(path, out var touch))
                {
                    return touch.By;
                }

                for (var folder = Path.GetDirectoryName(path); folder is { Length: > 1 }; folder = Path.GetDirectoryName(folder))
                {
                    if (batch.Paths.TryGetValue(folder, out var moved) && moved.Tree)
                    {
                        return moved.By;
                    }
                }

                return null;
            }

            if (!bySection.TryGetValue(change.Category, out var touches))
            {
                return null;
            }

            var writers = touches.Select(t => t.Touch).DistinctBy(t => t.Pid).ToList();
            return writers[0].By with { Others = writers[0].By.Others + writers.Count - 1 };
        }

        var changes = report.Changes.Select(c => Who(c) is { } by ? c with { By = by, Summary = $"{c.Summary} — {by}" } : c).ToList();
        var compiled = new CompiledRules(rules, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var transient = new List<DriftChange>();
        foreach (var (path, touch) in bySection.GetValueOrDefault(FilesSection.SectionName, []).OrderBy(p => p.Path, StringComparer.Ordinal))
        {
            // Made since the last cycle (its first event created it), deleted by its last, and gone now.
            if (!touch.Created || !touch.Deleted || touch.By.PackageManager is not null || Path.Exists(realPathOf(path)))
            {
                continue;
            }

            var pointer = JsonPointer.Append("/" + FilesSection.SectionName, path);
            if (compiled.IsIgnored(pointer))
            {
                continue;
            }

            var severity = compiled.SeverityOf(new JsonChange(ChangeKind.Add, pointer, default, TransientValue), FilesSection.SectionName);
            transient.Add(new DriftChange(FilesSection.SectionName, ChangeKind.Add, pointer, default, TransientValue, severity, $"file {path} created and deleted again before the cycle — {touch.By}") { By = touch.By });
        }

        return report with { Changes = changes, Transient = transient, Summary = transient.Count == 0 ? report.Summary : SnapshotDiffer.Summarize([.. changes, .. transient]) };
    }
}
