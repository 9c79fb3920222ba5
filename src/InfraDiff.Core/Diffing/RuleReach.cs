using System.Text.Json;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;

namespace InfraDiff.Diffing;

/// <summary>Whether a rule's path names anything in a pair of snapshots: a walk of the section its path starts in, pruned to the pointers that could match.</summary>
internal static class RuleReach
{
    public static bool Reaches(PointerGlob glob, SnapshotPair pair)
    {
        var prefix = glob.LiteralPrefix;
        var segments = prefix.Split('/');
        if (segments.Length < 3)
        {
            // The section's name holds a wildcard ("/*/x", "/pack*"): not worth a walk of every section.
            return true;
        }

        var section = JsonPointer.Parse("/" + segments[1])[0];
        var path = JsonPointer.Append("", section);
        if (section == FilesSection.SectionName && pair.Files is var (before, after))
        {
            return Reaches(glob, path, before) || Reaches(glob, path, after);
        }

        return (pair.Before.Sections.TryGetValue(section, out var old) && Reaches(glob, path, old))
            || (pair.After.Sections.TryGetValue(section, out var @new) && Reaches(glob, path, @new));
    }

    private static bool Reaches(PointerGlob glob, string section, SectionText text)
    {
        foreach (var name in text.Names())
        {
            var path = JsonPointer.Append(section, name);
            if (Possible(glob, path) && (glob.Matches(path) || Reaches(glob, path, text.Find(name))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Reaches(PointerGlob glob, string path, JsonElement value)
    {
        if (!Possible(glob, path))
        {
            return false;
        }

        if (glob.Matches(path))
        {
            return true;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Object => value.EnumerateObject().Any(p => Reaches(glob, JsonPointer.Append(path, p.Name), p.Value)),
            JsonValueKind.Array => value.EnumerateArray().Select((item, i) => (item, i)).Any(e => Reaches(glob, JsonPointer.Append(path, e.i), e.item)),
            _ => false,
        };
    }

    /// <summary>Whether a pointer at or below <paramref name="path"/> could match: the two agree up to the shorter.</summary>
    private static bool Possible(PointerGlob glob, string path) =>
        path.StartsWith(glob.LiteralPrefix, StringComparison.Ordinal) || glob.LiteralPrefix.StartsWith(path, StringComparison.Ordinal);
}
