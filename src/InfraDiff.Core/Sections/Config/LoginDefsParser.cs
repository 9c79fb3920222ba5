namespace InfraDiff.Sections.Config;

/// <summary>Parses login.defs(5): "NAME value" lines; the last definition of a name wins, as shadow's getdef does.</summary>
internal static class LoginDefsParser
{
    public static SortedDictionary<string, string> Parse(string file, string text, ConfigProblems problems)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (number, line) in ConfigLines.Read(text))
        {
            var fields = ConfigLines.Fields(line);
            if (fields.Length < 2)
            {
                problems.Add(file, number, $"'{fields[0]}' has no value");
                continue;
            }

            settings[fields[0]] = Unquote(string.Join(' ', fields.Skip(1)));
        }

        return settings;
    }

    private static string Unquote(string value) => value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
}
