using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>
/// The entries (objects a report reads whole: a file, an entry with a content field) at given paths, before and after.
/// A section's own keys are found in one pass over its document (<see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>
/// scans an object from its end, so one lookup per change over a million-entry section made a diff quadratic), or by
/// binary search in a section read as text; a deeper entry by walking down to it.
/// </summary>
internal sealed class SectionEntries
{
    private readonly Dictionary<string, JsonElement> before = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> after = new(StringComparer.Ordinal);

    /// <param name="pair">The snapshots compared.</param>
    /// <param name="paths">The entries' paths ("/files/~1etc~1x", "/certs/trusted/~1a.pem").</param>
    public SectionEntries(SnapshotPair pair, IEnumerable<string> paths)
    {
        foreach (var section in paths.Distinct(StringComparer.Ordinal).Select(p => (Path: p, Keys: JsonPointer.Parse(p))).Where(p => p.Keys.Count >= 2).GroupBy(p => p.Keys[0], StringComparer.Ordinal))
        {
            var ownKeys = section.Where(p => p.Keys.Count == 2).ToDictionary(p => p.Keys[1], p => p.Path, StringComparer.Ordinal);
            if (section.Key == "files" && pair.Files is var (old, @new))
            {
                foreach (var (key, path) in ownKeys)
                {
                    before[path] = old.Find(key);
                    after[path] = @new.Find(key);
                }
            }
            else
            {
                Collect(pair.Before, section.Key, ownKeys, before);
                Collect(pair.After, section.Key, ownKeys, after);
            }

            foreach (var (path, keys) in section.Where(p => p.Keys.Count > 2))
            {
                before[path] = Walk(pair.Before, keys);
                after[path] = Walk(pair.After, keys);
            }
        }
    }

    /// <summary>The earlier entry at <paramref name="path"/>; undefined when there was none.</summary>
    public JsonElement Before(string path) => before.GetValueOrDefault(path);

    /// <summary>The later entry at <paramref name="path"/>; undefined when there is none.</summary>
    public JsonElement After(string path) => after.GetValueOrDefault(path);

    /// <summary>"/files/~1etc~1x" for "/files/~1etc~1x" or "/files/~1etc~1x/size": the path of the section's own key a path is in; null for a section itself.</summary>
    public static string? OwnKeyOf(string path)
    {
        var sectionEnd = path.IndexOf('/', 1);
        if (sectionEnd < 0)
        {
            return null;
        }

        var keyEnd = path.IndexOf('/', sectionEnd + 1);
        return keyEnd < 0 ? path : path[..keyEnd];
    }

    private static JsonElement Walk(Snapshot snapshot, IReadOnlyList<string> keys)
    {
        if (!snapshot.Sections.TryGetValue(keys[0], out var value))
        {
            return default;
        }

        foreach (var key in keys.Skip(1))
        {
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(key, out var member))
            {
                value = member;
            }
            else if (value.ValueKind == JsonValueKind.Array && int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < value.GetArrayLength())
            {
                value = value[index];
            }
            else
            {
                return default;
            }
        }

        return value;
    }

    private static void Collect(Snapshot snapshot, string section, Dictionary<string, string> keys, Dictionary<string, JsonElement> entries)
    {
        if (keys.Count == 0 || !snapshot.Sections.TryGetValue(section, out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // Names are matched as the document's bytes decoded into one buffer: a string for each of a million entries
        // would be allocated only to be looked up and dropped.
        var lookup = keys.GetAlternateLookup<ReadOnlySpan<char>>();
        var name = new char[256];
        foreach (var entry in value.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(entry);
            string? path;
            if (raw.Contains((byte)'\\'))
            {
                path = keys.GetValueOrDefault(entry.Name);
            }
            else
            {
                if (name.Length < raw.Length)
                {
                    name = new char[raw.Length];
                }

                lookup.TryGetValue(name.AsSpan(0, Encoding.UTF8.GetChars(raw, name)), out path);
            }

            if (path is not null)
            {
                // The last of duplicate names wins, as TryGetProperty has it.
                entries[path] = entry.Value;
            }
        }
    }
}
