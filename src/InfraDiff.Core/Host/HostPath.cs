using System.Text;
using System.Text.Unicode;

namespace InfraDiff.Host;

/// <summary>
/// A Linux path or file name is bytes, not text. infradiff writes one as UTF-8 text where its bytes are valid UTF-8,
/// each byte that is not as <c>\xHH</c> (two upper-case hex digits), and a backslash as <c>\\</c>: every name is kept
/// (a name in Latin-1, or with an overlong NUL, is as visible as any other), two names never share one string, and
/// the string turns back into exactly the name's bytes. This is how snapshot keys, <c>--files</c> and rule paths
/// write such a name.
/// </summary>
public static class HostPath
{
    /// <summary>The string for <paramref name="bytes"/> (without a NUL).</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf((byte)'\\') < 0 && Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder(bytes.Length + 8);
        while (!bytes.IsEmpty)
        {
            if (bytes[0] == (byte)'\\')
            {
                text.Append(@"\\");
                bytes = bytes[1..];
                continue;
            }

            if (System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                // Each byte of an invalid sequence on its own: the string then says exactly which bytes were there.
                for (var i = 0; i < consumed; i++)
                {
                    text.Append(@"\x").Append(bytes[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            bytes = bytes[consumed..];
        }

        return text.ToString();
    }

    /// <summary>
    /// A path as typed (<c>--files</c>, an exclude) in the form keys take: <c>/srv/a\b</c>, whose backslash escapes
    /// nothing, is <c>/srv/a\\b</c>; <c>/srv/d\xFF</c> stays as it is.
    /// </summary>
    public static string Normalize(string path) => FromBytes(ToBytes(path));

    /// <summary>The bytes <paramref name="path"/> stands for: <c>\xHH</c> one byte, <c>\\</c> a backslash, anything else its UTF-8.</summary>
    public static byte[] ToBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.Contains('\\', StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(path);
        }

        var bytes = new List<byte>(path.Length + 8);
        var start = 0;
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] != '\\')
            {
                continue;
            }

            var escape = i + 1 < path.Length && path[i + 1] == '\\' ? 2
                : i + 3 < path.Length && path[i + 1] == 'x' && Uri.IsHexDigit(path[i + 2]) && Uri.IsHexDigit(path[i + 3]) ? 4
                : 0;
            if (escape == 0)
            {
                // A backslash that escapes nothing is itself: a path typed by hand still means what it says.
                continue;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(path[start..i]));
            bytes.Add(escape == 2 ? (byte)'\\' : Convert.ToByte(path.Substring(i + 2, 2), 16));
            i += escape - 1;
            start = i + 1;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(path[start..]));
        return [.. bytes];
    }
}
