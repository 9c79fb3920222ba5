using System.Text;
using System.Text.RegularExpressions;

namespace InfraDiff.Sections.Users;

/// <summary>Normalizes sudoers(5) text into its rule lines, in order (later rules win in sudo, so order is meaning).</summary>
internal static partial class SudoersParser
{
    /// <summary>
    /// Joins backslash continuations, drops comments and blank lines, and collapses white space.
    /// "#include"/"#includedir" are directives and "#1000" is a user ID, not comments.
    /// </summary>
    public static IReadOnlyList<string> Parse(string text)
    {
        var rules = new List<string>();
        var pending = new StringBuilder();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.EndsWith('\\'))
            {
                pending.Append(line, 0, line.Length - 1).Append(' ');
                continue;
            }

            pending.Append(line);
            var rule = Normalize(pending.ToString());
            pending.Clear();
            if (rule.Length > 0)
            {
                rules.Add(rule);
            }
        }

        if (pending.Length > 0 && Normalize(pending.ToString()) is { Length: > 0 } last)
        {
            rules.Add(last);
        }

        return rules;
    }

    private static string Normalize(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith('#') && !IsDirectiveOrUid(trimmed))
        {
            return "";
        }

        var withoutComment = TrailingComment().Replace(trimmed, "");
        return Whitespace().Replace(withoutComment, " ").Trim();
    }

    private static bool IsDirectiveOrUid(string line) =>
        line.StartsWith("#include", StringComparison.Ordinal) || (line.Length > 1 && char.IsAsciiDigit(line[1]));

    // A comment starts at a '#' after white space that is not a uid ("#1000") and not inside a quoted string.
    [GeneratedRegex(@"\s#(?!\d).*$")]
    private static partial Regex TrailingComment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
