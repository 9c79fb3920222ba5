using System.Globalization;

namespace InfraDiff;

/// <summary>Text shortened for a line a person reads (a summary, a message quoting a bad line, a chat field), the same way everywhere.</summary>
public static class Excerpt
{
    /// <summary>How much of a rejected line a parse error quotes.</summary>
    public const int MessageLength = 60;

    /// <summary>At most <paramref name="length"/> characters, cut between grapheme clusters (never inside an emoji or a combined letter), with "…" when cut.</summary>
    public static string Cut(string text, int length = MessageLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= length)
        {
            return text;
        }

        var end = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var next = enumerator.ElementIndex + ((string)enumerator.Current).Length;
            if (next > length - 1)
            {
                break;
            }

            end = next;
        }

        return string.Concat(text.AsSpan(0, end), "…");
    }
}
