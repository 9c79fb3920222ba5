using System.Text;

namespace InfraDiff.Sections.Os;

/// <summary>One mounted filesystem, without the mount IDs and device numbers that change on every boot.</summary>
internal sealed record MountEntry(string Source, string FsType, string Options);

/// <summary>Parses /proc/self/mountinfo (proc(5)): "id parent maj:min root target options [optional…] - fstype source superoptions".</summary>
internal static class MountInfoParser
{
    /// <summary>Mounts keyed by target; a target mounted over again keeps the last (visible) mount.</summary>
    public static SortedDictionary<string, MountEntry> Parse(string text)
    {
        var mounts = new SortedDictionary<string, MountEntry>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 10 || separator < 6 || fields.Length < separator + 3)
            {
                continue;
            }

            mounts[Unescape(fields[4])] = new MountEntry(Unescape(fields[separator + 2]), fields[separator + 1], fields[5]);
        }

        return mounts;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as \ooo octal escapes.</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(string s, int start) =>
        start + 3 <= s.Length && s.AsSpan(start, 3).IndexOfAnyExceptInRange('0', '7') < 0;
}
