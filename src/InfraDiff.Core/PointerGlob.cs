using System.Text;
using System.Text.RegularExpressions;

namespace InfraDiff;

/// <summary>
/// A glob over escaped JSON Pointers: "*" matches within one segment, "**" across segments, and a pattern
/// that matches a path also matches everything beneath it ("/packages/*" covers "/packages/openssl/version").
/// </summary>
public sealed class PointerGlob
{
    private readonly Regex regex;

    // Every match starts with the pattern's text before its first wildcard: a cheap test that spares the
    // regular expression for almost every path (a files scan asks once per path per exclude).
    private readonly string literalPrefix;

    /// <summary>Compiles a pattern such as "/files/~1var~1log~1**" or "/packages/*/version".</summary>
    /// <exception cref="FormatException">The pattern is not empty and does not start with "/".</exception>
    public PointerGlob(string pattern)
    {
        if (pattern is null)
        {
            throw new FormatException("a rule has no path");
        }

        if (pattern.Length > 0 && pattern[0] != '/')
        {
            throw new FormatException($"'{pattern}' is not a JSON Pointer glob: it must start with '/'");
        }

        Pattern = pattern;
        var wildcard = pattern.IndexOf('*', StringComparison.Ordinal);
        literalPrefix = wildcard < 0 ? pattern : pattern[..wildcard];
        var builder = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                builder.Append(".*");
                i++;
            }
            else if (pattern[i] == '*')
            {
                builder.Append("[^/]*");
            }
            else
            {
                builder.Append(Regex.Escape(pattern[i].ToString()));
            }
        }

        builder.Append("(?:/.*)?$");
        regex = new Regex(builder.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>Whether <paramref name="pointer"/> (escaped) is the pattern's path or lies beneath it.</summary>
    public bool Matches(string pointer) => pointer.StartsWith(literalPrefix, StringComparison.Ordinal) && regex.IsMatch(pointer);

    /// <inheritdoc />
    public override string ToString() => Pattern;
}
