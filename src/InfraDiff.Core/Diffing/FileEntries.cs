using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>
/// The entries of both files sections that changes touch, found in one pass over each section's document
/// (<see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> scans an object from its end, so one lookup per
/// change over a million-entry section made a diff quadratic), or by binary search in a section read as text.
/// </summary>
internal sealed class FileEntries
{
    private const string Prefix = "/files/";

    private readonly Dictionary<string, JsonElement> before;
    private readonly Dictionary<string, JsonElement> after;

    public FileEntries(SnapshotPair pair, IEnumerable<JsonChange> changes)
    {
        var keys = changes.Select(c => KeyOf(c.Path)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (pair.Files is var (old, @new))
        {
            before = keys.ToDictionary(key => key, old.Find, StringComparer.Ordinal);
            after = keys.ToDictionary(key => key, @new.Find, StringComparer.Ordinal);
        }
        else
        {
            before = Collect(pair.Before, keys);
            after = Collect(pair.After, keys);
        }
    }

    /// <summary>The earlier entry of a file a change touched; undefined when it had none.</summary>
    public JsonElement Before(string key) => before.GetValueOrDefault(key);

    /// <summary>The later entry of a file a change touched; undefined when it has none.</summary>
    public JsonElement After(string key) => after.GetValueOrDefault(key);

    /// <summary>"/etc/x" for "/files/~1etc~1x" or "/files/~1etc~1x/size"; null for a path outside the files section.</summary>
    public static string? KeyOf(string path) =>
        path.StartsWith(Prefix, StringComparison.Ordinal) ? JsonPointer.Parse(path)[1] : null;

    private static Dictionary<string, JsonElement> Collect(Snapshot snapshot, HashSet<string> keys)
    {
        var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (keys.Count == 0 || !snapshot.Sections.TryGetValue("files", out var files) || files.ValueKind != JsonValueKind.Object)
        {
            return entries;
        }

        // Names are matched as the document's bytes decoded into one buffer: a string for each of a million entries
        // would be allocated only to be looked up and dropped.
        var lookup = keys.GetAlternateLookup<ReadOnlySpan<char>>();
        var name = new char[256];
        foreach (var entry in files.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(entry);
            string? key;
            if (raw.Contains((byte)'\\'))
            {
                key = keys.Contains(entry.Name) ? entry.Name : null;
            }
            else
            {
                if (name.Length < raw.Length)
                {
                    name = new char[raw.Length];
                }

                lookup.TryGetValue(name.AsSpan(0, Encoding.UTF8.GetChars(raw, name)), out key);
            }

            if (key is not null)
            {
                // The last of duplicate names wins, as TryGetProperty has it.
                entries[key] = entry.Value;
            }
        }

        return entries;
    }
}
