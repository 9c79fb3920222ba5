namespace InfraDiff.Sections.Config;

/// <summary>One resource limit: its value and the file that sets it last.</summary>
internal sealed record LimitSetting(string Value, string File);

/// <summary>Parses limits.conf(5) lines "domain type item value", keyed "domain type item".</summary>
internal static class LimitsConfigParser
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal) { "soft", "hard", "-" };

    public static IEnumerable<(string Key, string Value)> Parse(string file, string text, ConfigProblems problems)
    {
        foreach (var (number, line) in ConfigLines.Read(text))
        {
            var fields = ConfigLines.Fields(line);
            if (fields.Length != 4 || !Types.Contains(fields[1]))
            {
                problems.Add(file, number, $"expected 'domain soft|hard|- item value': {Excerpt.Cut(line)}");
                continue;
            }

            yield return ($"{fields[0]} {fields[1]} {fields[2]}", fields[3]);
        }
    }
}
