using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace InfraDiff.Snapshots;

/// <summary>
/// The JSON escaping of snapshots and reports: an inner encoder's (every letter as itself) plus every formatting
/// character — bidirectional overrides and isolates, zero-width characters — written as <c>\uXXXX</c>. The inner
/// encoders already escape controls, unassigned code points and everything outside the BMP; without this, a file
/// named "bidi\u202Egnp.exe" would reorder a terminal's line when the JSON is printed. Parsing gives the same string.
/// </summary>
internal sealed unsafe class HostJsonEncoder(JavaScriptEncoder inner) : JavaScriptEncoder
{
    /// <summary>Every letter and HTML-sensitive character as itself: for a file, a terminal, a request body.</summary>
    public static readonly HostJsonEncoder Relaxed = new(UnsafeRelaxedJsonEscaping);

    /// <summary>&lt;, &gt;, &amp;, quotes and the like escaped as well: for JSON inside an HTML page.</summary>
    public static readonly HostJsonEncoder Html = new(Create(System.Text.Unicode.UnicodeRanges.All));

    public override int MaxOutputCharactersPerInputCharacter => Math.Max(inner.MaxOutputCharactersPerInputCharacter, 6);

    public override bool WillEncode(int unicodeScalar) => IsFormat(unicodeScalar) || inner.WillEncode(unicodeScalar);

    public override int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var end = inner.FindFirstCharacterToEncode(text, textLength);
        var span = new ReadOnlySpan<char>(text, end < 0 ? textLength : end);
        for (var i = span.IndexOfAnyExceptInRange('\0', '\u007F'); i >= 0 && i < span.Length; i = Next(span, i))
        {
            if (IsFormat(span[i]))
            {
                return i;
            }
        }

        return end;

        static int Next(ReadOnlySpan<char> span, int i)
        {
            var next = span[(i + 1)..].IndexOfAnyExceptInRange('\0', '\u007F');
            return next < 0 ? -1 : i + 1 + next;
        }
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var end = inner.FindFirstCharacterToEncodeUtf8(utf8Text);
        var span = end < 0 ? utf8Text : utf8Text[..end];
        var i = span.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
        while (i >= 0 && i < span.Length)
        {
            Rune.DecodeFromUtf8(span[i..], out var rune, out var consumed);
            if (IsFormat(rune.Value))
            {
                return i;
            }

            var next = span[(i + consumed)..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            i = next < 0 ? -1 : i + consumed + next;
        }

        return end;
    }

    public override bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (!IsFormat(unicodeScalar))
        {
            return inner.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);
        }

        numberOfCharactersWritten = 0;
        var destination = new Span<char>(buffer, bufferLength);
        if (!destination.TryWrite(CultureInfo.InvariantCulture, $"\\u{unicodeScalar:X4}", out var written))
        {
            return false;
        }

        numberOfCharactersWritten = written;
        return true;
    }

    /// <summary>A formatting character of the BMP (those outside it are escaped by every inner encoder).</summary>
    private static bool IsFormat(int scalar) =>
        scalar is >= 0x80 and < 0x10000 and not (>= 0xD800 and <= 0xDFFF) && CharUnicodeInfo.GetUnicodeCategory(scalar) == UnicodeCategory.Format;
}
