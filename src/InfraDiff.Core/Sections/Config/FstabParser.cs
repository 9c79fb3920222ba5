namespace InfraDiff.Sections.Config;

/// <summary>One fstab entry: what is mounted, how, and whether it is dumped and checked.</summary>
internal sealed record FstabEntry(string Source, string Type, string Options, string? Dump, string? Pass);

/// <summary>Parses fstab(5) keyed by mount point; swap areas, which have none, are keyed "swap &lt;source&gt;".</summary>
internal static class FstabParser
{
    public static SortedDictionary<string, FstabEntry> Parse(string file, string text, ConfigProblems problems)
    {
        var entries = new SortedDictionary<string, FstabEntry>(StringComparer.Ordinal);
        foreach (var (number, line) in ConfigLines.Read(text))
        {
            var fields = ConfigLines.Fields(line);
            if (fields.Length < 3)
            {
                problems.Add(file, number, $"expected 'source mountpoint type [options [dump [pass]]]': {Excerpt.Cut(line)}");
                continue;
            }

            var key = fields[2] == "swap" || fields[1] is "none" or "swap" ? $"swap {fields[0]}" : fields[1];
            if (entries.ContainsKey(key))
            {
                problems.Add(file, number, $"{key} is listed again; the later entry is recorded");
            }

            entries[key] = new FstabEntry(fields[0], fields[2], fields.Length > 3 ? fields[3] : "defaults", fields.ElementAtOrDefault(4), fields.ElementAtOrDefault(5));
        }

        return entries;
    }
}
