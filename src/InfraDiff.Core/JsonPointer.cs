using System.Text;

namespace InfraDiff;

/// <summary>RFC 6901 JSON Pointers: "" is the whole document, each key is "/" + the key with "~" as "~0" and "/" as "~1".</summary>
public static class JsonPointer
{
    /// <summary>Escapes one key as a pointer segment ("/etc/passwd" → "~1etc~1passwd").</summary>
    public static string Escape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.AsSpan().IndexOfAny('~', '/') < 0 ? key : key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    /// <summary>The pointer to <paramref name="key"/> inside the value at <paramref name="parent"/>.</summary>
    public static string Append(string parent, string key) => string.Concat(parent, "/", Escape(key));

    /// <summary>The pointer to element <paramref name="index"/> of the array at <paramref name="parent"/>.</summary>
    public static string Append(string parent, int index) => string.Concat(parent, "/", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Splits a pointer into its unescaped keys ("" gives none).</summary>
    /// <exception cref="FormatException">The pointer is not empty and does not start with "/".</exception>
    public static IReadOnlyList<string> Parse(string pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new FormatException($"'{pointer}' is not a JSON Pointer: it must be empty or start with '/'");
        }

        return pointer[1..].Split('/').Select(Unescape).ToArray();
    }

    private static string Unescape(string segment)
    {
        if (!segment.Contains('~', StringComparison.Ordinal))
        {
            return segment;
        }

        // Left to right, so "~01" is "~" then "1", never "/" (RFC 6901, section 4).
        var builder = new StringBuilder(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '~' && i + 1 < segment.Length && segment[i + 1] is '0' or '1')
            {
                builder.Append(segment[i + 1] == '0' ? '~' : '/');
                i++;
            }
            else
            {
                builder.Append(segment[i]);
            }
        }

        return builder.ToString();
    }
}
