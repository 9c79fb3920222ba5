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

    private PointerGlob(string pattern, string literalPrefix, string expression)
    {
        Pattern = pattern;
        this.literalPrefix = literalPrefix;
        regex = new Regex(expression, RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>
    /// A rule's path as people write it: a JSON Pointer glob ("/packages/*/version", "/files/~1etc~1ssh~1**"), or, for
    /// the files section, the file's own path — "/etc/ssh/**" when "etc" is not a section's name, or "/files/etc/ssh/**";
    /// "/files/~1etc~1ssh/**", which as a pointer would cover only the folder's own fields, covers what lies beneath.
    /// In a file path "*" stays within one name, "**" crosses folders, and a path covers everything beneath it
    /// ("/root/.npm" and "/root/.npm/**" both cover /root/.npm/_cacache/index).
    /// </summary>
    /// <param name="pattern">The rule's path.</param>
    /// <param name="isSection">Whether a name is a section's (the first segment of a pointer).</param>
    /// <exception cref="FormatException">The pattern is not empty and does not start with "/".</exception>
    internal static PointerGlob ForRule(string pattern, Func<string, bool> isSection)
    {
        var glob = new PointerGlob(pattern);
        var first = pattern.Split('/', 3) is [_, var segment, ..] ? segment : "";
        string? file = null;
        if (first == FilesSection && pattern.Split('/', 3) is [_, _, var rest] && rest.Length > 0 && !rest.StartsWith('*'))
        {
            if (!rest.StartsWith("~1", StringComparison.Ordinal))
            {
                file = "/" + rest;
            }
            else if (rest.EndsWith("/**", StringComparison.Ordinal) && rest.IndexOf('/', StringComparison.Ordinal) == rest.Length - 3)
            {
                // "/files/~1root~1.npm/**" would cover only that entry's fields; what is meant is the folder and what lies beneath.
                file = JsonPointer.Parse("/" + rest[..^3])[0] + "/**";
            }
        }
        else if (first.Length > 0 && !first.StartsWith('*') && !isSection(JsonPointer.Parse("/" + first)[0]))
        {
            file = pattern;
        }

        return file is null ? glob : FilePath(pattern, file);
    }

    private const string FilesSection = "files";

    /// <summary>The glob over the files section's keys that a file path names (see <see cref="ForRule"/>).</summary>
    private static PointerGlob FilePath(string pattern, string path)
    {
        if (path.EndsWith("/**", StringComparison.Ordinal) && path.Length > 3)
        {
            path = path[..^3];
        }

        var builder = new StringBuilder("^/files/");
        var literal = new StringBuilder("/files/");
        var wild = false;
        for (var i = 0; i < path.Length; i++)
        {
            string piece;
            if (path[i] == '*' && i + 1 < path.Length && path[i + 1] == '*')
            {
                piece = "[^/]*";
                i++;
                wild = true;
            }
            else if (path[i] == '*')
            {
                // Within one name: anything but an escaped '/'.
                piece = "(?:[^/~]|~0)*";
                wild = true;
            }
            else
            {
                var escaped = path[i] switch { '/' => "~1", '~' => "~0", var c => c.ToString() };
                piece = Regex.Escape(escaped);
                if (!wild)
                {
                    literal.Append(escaped);
                }
            }

            builder.Append(piece);
        }

        // The file itself, what lies beneath it, and its fields.
        builder.Append("(?:~1[^/]*)?(?:/.*)?$");
        return new PointerGlob(pattern, literal.ToString(), builder.ToString());
    }

    /// <summary>The escaped text every matching pointer starts with (the pattern's up to its first wildcard).</summary>
    internal string LiteralPrefix => literalPrefix;

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>Whether <paramref name="pointer"/> (escaped) is the pattern's path or lies beneath it.</summary>
    public bool Matches(string pointer) => pointer.StartsWith(literalPrefix, StringComparison.Ordinal) && regex.IsMatch(pointer);

    /// <inheritdoc />
    public override string ToString() => Pattern;
}
