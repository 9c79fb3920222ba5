namespace InfraDiff.Sections.Scheduled;

/// <summary>Parses one section of a systemd unit file (systemd.syntax(7)): "Key=value" lines; a key may repeat.</summary>
internal static class UnitFileParser
{
    public static SortedDictionary<string, IReadOnlyList<string>> ParseSection(string text, string section)
    {
        var settings = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var inSection = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                inSection = line == $"[{section}]";
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (!inSection || equals <= 0)
            {
                continue;
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (value.Length == 0)
            {
                // An empty assignment resets the list, as in systemd.
                settings.Remove(key);
                continue;
            }

            if (!settings.TryGetValue(key, out var values))
            {
                settings[key] = values = [];
            }

            values.Add(value);
        }

        return new SortedDictionary<string, IReadOnlyList<string>>(settings.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value), StringComparer.Ordinal);
    }
}
