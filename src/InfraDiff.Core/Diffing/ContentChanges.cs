using System.Text.Json;

namespace InfraDiff.Diffing;

/// <summary>
/// An entry whose content changed is one change, not one per field (a file's hash, its size, …): in a section with a
/// content field (<see cref="Sections.SectionDescriptor.ContentField"/>), the field changes of an entry whose content
/// field changed become one replace of the whole entry, which says the same to an RFC 6902 patch.
/// </summary>
internal static class ContentChanges
{
    /// <summary>The paths of the entries whose content field changed ("/files/~1etc~1x" for a change at "/files/~1etc~1x/sha256").</summary>
    public static IEnumerable<string> Entries(IEnumerable<JsonChange> changes, SectionCatalog sections)
    {
        foreach (var change in changes)
        {
            if (change.Kind == ChangeKind.Replace && EntryOf(change.Path, sections) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary>The changes in order, each content-changed entry's field changes folded into one at the first one's place.</summary>
    /// <param name="changes">The changes to report.</param>
    /// <param name="someDropped">Whether ignore rules or uncompared parts dropped changes: an entry with a dropped field is not folded, so the patch never carries what was dropped.</param>
    /// <param name="entries">The entries the changes touch, before and after.</param>
    /// <param name="sections">What each section's content field is.</param>
    public static IEnumerable<JsonChange> Merge(List<JsonChange> changes, bool someDropped, SectionEntries entries, SectionCatalog sections)
    {
        var contentChanged = Entries(changes, sections).ToHashSet(StringComparer.Ordinal);
        if (someDropped && contentChanged.Count > 0)
        {
            // An entry is folded only when every field that differs is still among the changes.
            var fields = changes.Select(c => Entry(c.Path, contentChanged)).OfType<string>().CountBy(p => p, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
            contentChanged.RemoveWhere(e => fields.GetValueOrDefault(e) != DifferingFields(entries.Before(e), entries.After(e)));
        }

        if (contentChanged.Count == 0)
        {
            foreach (var change in changes)
            {
                yield return change;
            }

            yield break;
        }

        var emitted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var entry = Entry(change.Path, contentChanged);
            if (entry is null)
            {
                yield return change;
            }
            else if (emitted.Add(entry))
            {
                yield return new JsonChange(ChangeKind.Replace, entry, entries.Before(entry), entries.After(entry));
            }
        }
    }

    /// <summary>The entry "/certs/trusted/~1a.pem" of a change at its content field "/certs/trusted/~1a.pem/fingerprint", else null.</summary>
    private static string? EntryOf(string path, SectionCatalog sections)
    {
        var last = path.LastIndexOf('/');
        var sectionEnd = path.IndexOf('/', 1);
        if (sectionEnd < 0 || last <= sectionEnd)
        {
            return null;
        }

        var field = sections[JsonPointer.Parse(path[..sectionEnd])[0]].ContentField;
        return field is not null && path.AsSpan(last + 1).SequenceEqual(JsonPointer.Escape(field)) ? path[..last] : null;
    }

    /// <summary>Which of <paramref name="entries"/> a change lies in, below it ("/a/b/size" in "/a/b"); null for none.</summary>
    private static string? Entry(string path, HashSet<string> entries)
    {
        var lookup = entries.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var end = path.LastIndexOf('/'); end > 0; end = path.LastIndexOf('/', end - 1))
        {
            if (lookup.TryGetValue(path.AsSpan(0, end), out var entry))
            {
                return entry;
            }
        }

        return null;
    }

    private static int DifferingFields(JsonElement old, JsonElement @new)
    {
        if (old.ValueKind != JsonValueKind.Object || @new.ValueKind != JsonValueKind.Object)
        {
            return -1;
        }

        var names = old.EnumerateObject().Select(p => p.Name).Union(@new.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);
        return names.Count(n => !(old.TryGetProperty(n, out var a) && @new.TryGetProperty(n, out var b) && JsonElement.DeepEquals(a, b)));
    }
}
