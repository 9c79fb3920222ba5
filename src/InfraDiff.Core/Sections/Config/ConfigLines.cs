namespace InfraDiff.Sections.Config;

/// <summary>The line handling the config formats share: comments, blank lines, backslash continuations, runs of blanks.</summary>
internal static class ConfigLines
{
    private static readonly char[] Blanks = [' ', '\t'];

    /// <summary>Meaningful lines with their 1-based numbers: comments (from <paramref name="comment"/> at a line's start) and blank lines dropped, continuations joined.</summary>
    public static IEnumerable<(int Number, string Text)> Read(string text, string comment = "#", bool continuations = false)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r');
            while (continuations && line.EndsWith('\\') && i + 1 < lines.Length)
            {
                line = line[..^1] + " " + lines[++i].TrimEnd('\r');
            }

            var trimmed = line.Trim();
            if (trimmed.Length == 0 || comment.Contains(trimmed[0], StringComparison.Ordinal))
            {
                continue;
            }

            yield return (number, trimmed);
        }
    }

    /// <summary>The whitespace-separated fields of a line.</summary>
    public static string[] Fields(string line) => line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The line with each run of blanks made one space.</summary>
    public static string Collapse(string line) => string.Join(' ', Fields(line));
}
