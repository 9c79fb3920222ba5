using System.Text.Json;

namespace InfraDiff.Diffing;

/// <summary>
/// A file whose content changed is one change, not one per field (its hash, its size, …): the field changes of
/// such an entry become one replace of the whole entry, which says the same to an RFC 6902 patch.
/// </summary>
internal static class FileContentChanges
{
    private const string Prefix = "/files/";

    /// <summary>The changes in order, each content-changed file's field changes folded into one at the first one's place.</summary>
    /// <param name="changes">The changes to report.</param>
    /// <param name="someDropped">Whether ignore rules or uncompared parts dropped changes: an entry with a dropped field is not folded, so the patch never carries what was dropped.</param>
    /// <param name="entries">The files entries the changes touch, before and after.</param>
    public static IEnumerable<JsonChange> Merge(List<JsonChange> changes, bool someDropped, FileEntries entries)
    {
        var fieldCounts = someDropped ? changes.Select(c => EntryPath(c.Path)).OfType<string>().CountBy(p => p, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal) : [];
        var contentChanged = changes
            .Where(c => c.Kind == ChangeKind.Replace && c.Path.StartsWith(Prefix, StringComparison.Ordinal) && c.Path.EndsWith("/sha256", StringComparison.Ordinal))
            .Select(c => EntryPath(c.Path))
            .Where(p => p is not null && (!someDropped || fieldCounts.GetValueOrDefault(p) == DifferingFields(entries, p)))
            .ToHashSet(StringComparer.Ordinal);
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
            var entry = EntryPath(change.Path);
            if (entry is null || !contentChanged.Contains(entry))
            {
                yield return change;
            }
            else if (emitted.Add(entry))
            {
                var key = JsonPointer.Parse(entry)[1];
                yield return new JsonChange(ChangeKind.Replace, entry, entries.Before(key), entries.After(key));
            }
        }
    }

    /// <summary>"/files/~1etc~1x" for "/files/~1etc~1x/size"; null for anything else.</summary>
    private static string? EntryPath(string path)
    {
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = path.IndexOf('/', Prefix.Length);
        return end < 0 ? null : path[..end];
    }

    private static int DifferingFields(FileEntries entries, string entry)
    {
        var key = JsonPointer.Parse(entry)[1];
        var old = entries.Before(key);
        var @new = entries.After(key);
        var names = old.EnumerateObject().Select(p => p.Name).Union(@new.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);
        return names.Count(n => !(old.TryGetProperty(n, out var a) && @new.TryGetProperty(n, out var b) && JsonElement.DeepEquals(a, b)));
    }
}
