using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>
/// Accepting drift one change at a time: which changes an id names in a report (the change, and those told on its
/// line), and a baseline with exactly those new values written in. A later change at the same path differs from the
/// value accepted, so it drifts again; nothing else in the baseline moves.
/// </summary>
public static class DriftAcceptance
{
    /// <summary>
    /// The changes accepting <paramref name="id"/> accepts: the change, the fields of its event told on its line
    /// (<see cref="DriftChange.ToldWith"/>), and the files its package accounts for (a package's line tells them);
    /// for a line of a package's files alone, all of them. Empty when the report has no change with that id.
    /// </summary>
    public static IReadOnlyList<DriftChange> LineOf(DriftReport report, string id)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(id);
        var lead = report.Changes.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
        if (lead is null)
        {
            return [];
        }

        var owners = Owners(report);
        var own = SectionEntries.OwnKeyOf(lead.Path);
        return [.. report.Changes.Where(c => ReferenceEquals(c, lead)
            || c.ToldWith == lead.Path
            || (lead.ExplainedBy is null && own is not null && c.ExplainedBy is not null && c.ExplainedByPath == own)
            || (lead.ExplainedBy is { } package && c.ExplainedBy == package && (lead.ExplainedByPath is not { } at || !owners.Contains(at))))];
    }

    /// <summary>The changes that head a report's lines, in patch order: each one's id accepts its line (<see cref="LineOf"/>).</summary>
    public static IEnumerable<DriftChange> Leads(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var paths = report.Changes.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var owners = Owners(report);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        return report.Changes.Where(c =>
            !(c.ToldWith is { } lead && paths.Contains(lead))
            && (c.ExplainedBy is not { } package || ((c.ExplainedByPath is not { } at || !owners.Contains(at)) && groups.Add(package))));
    }

    /// <summary>The entries ("/packages/coreutils") with a change of their own in the report: a package's line tells the files it accounts for.</summary>
    private static HashSet<string> Owners(DriftReport report) =>
        report.Changes.Where(c => c.ExplainedBy is null).Select(c => SectionEntries.OwnKeyOf(c.Path)).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Accepts the changes <paramref name="ids"/> name in <paramref name="report"/> (each with the changes told on its
    /// line), or every change when <paramref name="ids"/> is null: the baseline with their new values written in, an
    /// <see cref="Acceptance"/> per id (one for all), and the ids the report does not hold.
    /// </summary>
    /// <param name="baseline">The baseline the report was compared against.</param>
    /// <param name="later">The snapshot it was compared with.</param>
    /// <param name="report">The drift between them.</param>
    /// <param name="ids">The changes' ids, as reports show them; null for all.</param>
    /// <param name="reason">Why they are fine.</param>
    /// <param name="by">Who accepts them.</param>
    /// <param name="at">When.</param>
    /// <exception cref="InfraDiffException">A change in an ordered list is accepted without the others in that list.</exception>
    public static (Snapshot Baseline, IReadOnlyList<Acceptance> Accepted, IReadOnlyList<string> NotFound) Accept(
        Snapshot baseline, Snapshot later, DriftReport report, IReadOnlyCollection<string>? ids, string reason, string by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (ids is null)
        {
            if (!report.HasDrift)
            {
                return (baseline, [], []);
            }

            var all = new Acceptance(Acceptance.All, "", ChangeKind.Replace, report.Changes.Max(c => c.Severity), CountsOf(report.Changes), reason, by, at) { Changes = report.Changes.Count };
            return (Apply(baseline, later, report.Changes, report), [all], []);
        }

        var accepted = new List<Acceptance>();
        var changes = new List<DriftChange>();
        var notFound = new List<string>();
        foreach (var id in ids.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var line = LineOf(report, id);
            if (line.Count == 0)
            {
                notFound.Add(id);
                continue;
            }

            var lead = line[0];
            changes.AddRange(line);
            accepted.Add(new Acceptance(lead.Id, lead.Path, lead.Kind, lead.Severity, lead.Summary, reason, by, at) { Value = lead.NewValue, Changes = line.Count });
        }

        return (changes.Count == 0 ? baseline : Apply(baseline, later, [.. changes.Distinct()], report), accepted, notFound);
    }

    /// <summary>
    /// Accepts changes into a baseline kept as a file (a <c>check --baseline</c> file, a fleet host's baseline): compares
    /// <paramref name="baseline"/> with <paramref name="later"/> (<see cref="Everything"/>), accepts as <see cref="Accept"/>,
    /// and records the acceptances in the returned baseline's metadata, after those it held.
    /// </summary>
    /// <exception cref="InfraDiffException">A change in an ordered list is accepted without the others in that list.</exception>
    public static (Snapshot Baseline, IReadOnlyList<Acceptance> Accepted, IReadOnlyList<string> NotFound) AcceptIntoBaseline(
        Snapshot baseline, Snapshot later, DriftRules rules, IReadOnlyCollection<string>? ids, string reason, string by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var (moved, accepted, notFound) = Accept(baseline, later, SnapshotDiffer.Compare(baseline, later, Everything(rules)), ids, reason, by, at);
        return accepted.Count == 0
            ? (baseline, accepted, notFound)
            : (moved with { Metadata = moved.Metadata with { Acceptances = [.. baseline.Metadata.Acceptances ?? [], .. accepted] } }, accepted, notFound);
    }

    /// <summary>The rules drift is accepted under: every change there is, waived or not, at every severity; what the rules ignore stays ignored.</summary>
    public static DriftRules Everything(DriftRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules with { Waivers = [], MinimumSeverity = Severity.Low };
    }

    /// <summary>"905 changes: 1 critical, 5 high, 12 medium, 887 low".</summary>
    internal static string CountsOf(IReadOnlyCollection<DriftChange> changes) =>
        $"{changes.Count:N0} change{(changes.Count == 1 ? "" : "s")}: " + string.Join(", ", Enum.GetValues<Severity>().Reverse().Select(s => $"{changes.Count(c => c.Severity == s):N0} {EnumNames.Of(s)}"));

    /// <summary>
    /// <paramref name="baseline"/> with each accepted change written in: its new value at its path, or its path
    /// removed. A change inside an ordered list (firewall rules) is accepted with the whole list as
    /// <paramref name="later"/> has it, so every change in that list must be accepted together.
    /// </summary>
    /// <param name="baseline">The baseline the report was compared against.</param>
    /// <param name="later">The snapshot the report compared it with.</param>
    /// <param name="accepted">The changes to accept.</param>
    /// <param name="report">The report they come from: what else changed in a list they touch.</param>
    /// <exception cref="InfraDiffException">A change in an ordered list is accepted without the others in that list.</exception>
    public static Snapshot Apply(Snapshot baseline, Snapshot later, IReadOnlyCollection<DriftChange> accepted, DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(later);
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(report);
        var chosen = accepted.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var root = new Edit();
        foreach (var change in accepted)
        {
            var keys = JsonPointer.Parse(change.Path);
            if (ListAbove(baseline, keys) is { } depth)
            {
                var list = keys.Take(depth).ToList();
                var prefix = "/" + string.Join('/', list.Select(JsonPointer.Escape));
                var inList = report.Changes.Where(c => c.Path.StartsWith(prefix + "/", StringComparison.Ordinal)).ToList();
                if (inList.Any(c => !chosen.Contains(c.Id)))
                {
                    throw new InfraDiffException($"{change.Id} changes the ordered list {prefix}, whose changes are accepted together: accept {string.Join(' ', inList.Select(c => c.Id).Distinct())}");
                }

                root.Set(list, ValueAt(later, list));
            }
            else
            {
                root.Set(keys, change.Kind == ChangeKind.Remove ? default : change.NewValue);
            }
        }

        var sections = new Dictionary<string, JsonElement>(baseline.Sections, StringComparer.Ordinal);
        foreach (var (name, edit) in root.Children)
        {
            if (edit.Replaces)
            {
                throw new InfraDiffException($"/{JsonPointer.Escape(name)}: a whole section is not accepted by one change");
            }

            sections[name] = Rewrite(sections.TryGetValue(name, out var section) ? section : default, edit);
        }

        return baseline with { Sections = sections };
    }

    /// <summary>How many keys lead to the first array on the path in <paramref name="snapshot"/>, or null when the path crosses none.</summary>
    private static int? ListAbove(Snapshot snapshot, IReadOnlyList<string> keys)
    {
        if (!snapshot.Sections.TryGetValue(keys[0], out var element))
        {
            return null;
        }

        for (var depth = 1; depth < keys.Count; depth++)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                return depth;
            }

            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(keys[depth], out element))
            {
                return null;
            }
        }

        return null;
    }

    private static JsonElement ValueAt(Snapshot snapshot, IReadOnlyList<string> keys)
    {
        if (!snapshot.Sections.TryGetValue(keys[0], out var element))
        {
            return default;
        }

        foreach (var key in keys.Skip(1))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
            {
                return default;
            }
        }

        return element;
    }

    /// <summary>A section written again with the edits below it; what no edit touches is copied as it is.</summary>
    private static JsonElement Rewrite(JsonElement element, Edit edit)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(256, element.ValueKind == JsonValueKind.Undefined ? 0 : System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).Length + 1024));
        using (var writer = new Utf8JsonWriter(buffer, SnapshotJson.CompactWriter))
        {
            Write(writer, element, edit);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, Edit edit)
    {
        writer.WriteStartObject();
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!edit.Children.TryGetValue(property.Name, out var child))
                {
                    property.WriteTo(writer);
                }
                else if (!child.Replaces)
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, child);
                }
                else if (child.Value.ValueKind != JsonValueKind.Undefined)
                {
                    writer.WritePropertyName(property.Name);
                    child.Value.WriteTo(writer);
                }
            }
        }

        // Names the baseline lacks: the canonical writer sorts them into place.
        foreach (var (name, child) in edit.Children.Where(c => element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(c.Key, out _)))
        {
            if (!child.Replaces)
            {
                writer.WritePropertyName(name);
                Write(writer, default, child);
            }
            else if (child.Value.ValueKind != JsonValueKind.Undefined)
            {
                writer.WritePropertyName(name);
                child.Value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The edits below one key: a value that takes its place (undefined: removed), or edits further down.</summary>
    private sealed class Edit
    {
        public Dictionary<string, Edit> Children { get; } = new(StringComparer.Ordinal);

        public bool Replaces { get; private set; }

        public JsonElement Value { get; private set; }

        public void Set(IReadOnlyList<string> keys, JsonElement value)
        {
            var edit = this;
            foreach (var key in keys)
            {
                if (edit.Replaces)
                {
                    // A value above was accepted whole (its list): it already holds this one.
                    return;
                }

                if (!edit.Children.TryGetValue(key, out var child))
                {
                    edit.Children[key] = child = new Edit();
                }

                edit = child;
            }

            edit.Replaces = true;
            edit.Value = value;
            edit.Children.Clear();
        }
    }
}
