namespace InfraDiff.Sections.Config;

/// <summary>
/// Parses a pam.d(5) service file into its lines in order (order decides what PAM does): "type control module
/// [arguments]" and "@include file", comments dropped, continuations joined, blanks collapsed.
/// </summary>
internal static class PamConfigParser
{
    private static readonly HashSet<string> Types = new(StringComparer.OrdinalIgnoreCase) { "auth", "account", "password", "session", "-auth", "-account", "-password", "-session" };

    public static List<string> Parse(string file, string text, ConfigProblems problems)
    {
        var lines = new List<string>();
        foreach (var (number, whole) in ConfigLines.Read(text, continuations: true))
        {
            // libpam ends a line at the first '#', wherever it stands.
            var line = whole.Split('#', 2)[0].TrimEnd();
            var fields = ConfigLines.Fields(line);
            var valid = fields[0].StartsWith('@') ? fields.Length >= 2 : Types.Contains(fields[0]) && fields.Length >= 3;
            if (!valid)
            {
                problems.Add(file, number, $"not a PAM rule: {Excerpt.Cut(line)}");
                continue;
            }

            lines.Add(ConfigLines.Collapse(line));
        }

        return lines;
    }
}
