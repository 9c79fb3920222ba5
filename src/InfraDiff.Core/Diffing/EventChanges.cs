using InfraDiff.Sections;

namespace InfraDiff.Diffing;

/// <summary>
/// Fields of one entry that changed as one event (<see cref="SectionDescriptor.EventFields"/>: a unit's active and sub
/// states, replaced, or added together when a unit is loaded and removed when it is unloaded) are told on one line: the first change in report order carries the event's summary and the highest
/// severity among them, the others point to it (<see cref="DriftChange.ToldWith"/>). Each stays a change of its own,
/// so the patch is what it was.
/// </summary>
internal static class EventChanges
{
    public static List<DriftChange> Fold(List<DriftChange> changes, SectionCatalog sections)
    {
        var events = changes.Select((change, index) => (Change: change, Index: index, Keys: JsonPointer.Parse(change.Path)))
            .Where(x => x.Change.ExplainedBy is null && x.Keys.Count >= 3 && sections[x.Change.Category].EventFields.Contains(x.Keys[^1]))
            .GroupBy(x => x.Change.Path[..x.Change.Path.LastIndexOf('/')], StringComparer.Ordinal)
            .Where(g => g.Count() > 1);
        foreach (var group in events)
        {
            var section = sections[group.First().Change.Category];
            var declared = section.EventFields.ToList();
            var fields = group.OrderBy(x => declared.IndexOf(x.Keys[^1])).ToList();
            var lead = group.MinBy(x => x.Index);
            var summary = section.SummarizeEvent([.. fields.Select(x => new SectionChange(x.Change.Kind, x.Change.Path, [.. x.Keys.Skip(1)], x.Change.OldValue, x.Change.NewValue))]);
            changes[lead.Index] = lead.Change with { Summary = summary, Severity = group.Max(x => x.Change.Severity) };
            foreach (var other in group.Where(x => x.Index != lead.Index))
            {
                changes[other.Index] = other.Change with { ToldWith = lead.Change.Path };
            }
        }

        return changes;
    }
}
