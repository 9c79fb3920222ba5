using System.Globalization;
using System.Text;

namespace InfraDiff;

/// <summary>
/// Text that came from a watched host (a gecos field, a file name, a container label, a cron comment) made inert
/// for the place it is sent: no live mention, link, markup, control character or reordering of the text around it.
/// </summary>
public static class HostText
{
    /// <summary>Control characters, bidirectional overrides and isolates, and zero-width characters removed; one line.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value is '\n' or '\r' or '\t')
            {
                builder.Append(' ');
            }
            else if (category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse))
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// One line for a terminal, a log, a CI runner or an XML attribute: every character that would act rather than be
    /// read written as a visible escape — line breaks and tabs (<c>\n</c>), the other C0 and C1 controls and DEL
    /// (ESC, BEL, CSI: <c>\u001B</c>), bidirectional and zero-width formatting (<c>\u202E</c>), noncharacters that XML
    /// forbids (<c>\uFFFE</c>) and lone surrogates. A line of it can neither start a new line, move a cursor, reorder
    /// the text around it nor break an XML document.
    /// </summary>
    public static string Visible(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NeedsEscaping(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var rune = new Rune(c, text[i + 1]);
                if (IsNoncharacter(rune.Value) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control)
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:X8}");
                }
                else
                {
                    builder.Append(c).Append(text[i + 1]);
                }

                i++;
                continue;
            }

            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when Acts(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>
    /// Markdown and the HTML it may hold made inert (a pull-request comment, a step summary): one line
    /// (<see cref="Visible"/>), every ASCII punctuation character backslash-escaped as CommonMark reads it, so no host
    /// text becomes a heading, a link, an image, an HTML element, an entity, emphasis or a table cell.
    /// </summary>
    public static string Markdown(string text)
    {
        var visible = Visible(text);
        var builder = new StringBuilder(visible.Length + 16);
        foreach (var c in visible)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == ' ' || c > '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('\\').Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\t' || Acts(c) || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A control, a formatting character (bidi overrides, zero-width joiners), a lone surrogate or a noncharacter.</summary>
    private static bool Acts(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || IsNoncharacter(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;

    private static bool IsNoncharacter(int value) => value is >= 0xFDD0 and <= 0xFDEF || (value & 0xFFFE) == 0xFFFE;

    /// <summary>Slack mrkdwn: "&amp;", "&lt;" and "&gt;" escaped, so no "&lt;!channel&gt;", "&lt;@U123&gt;" or "&lt;url|text&gt;" is live.</summary>
    public static string ForSlack(string text) =>
        Clean(text).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Slack plain_text (headers): not parsed for mentions, but angle brackets are replaced all the same, so nothing reads as one.</summary>
    public static string ForSlackPlain(string text) => Clean(text).Replace("<", "‹", StringComparison.Ordinal).Replace(">", "›", StringComparison.Ordinal);

    /// <summary>Discord markdown: every markdown character backslash-escaped, and "@" kept from forming a mention.</summary>
    public static string ForDiscord(string text) => Escape(Clean(text), "\\*_~`|>#-[]()<:", mentionBreaker: "@\u200B");

    /// <summary>Adaptive Card markdown (Teams): markdown characters backslash-escaped, angle brackets (Teams' &lt;at&gt; mentions and HTML) replaced.</summary>
    public static string ForTeams(string text) =>
        Escape(Clean(text), "\\*_~`[]()#-", mentionBreaker: null).Replace("<", "‹", StringComparison.Ordinal).Replace(">", "›", StringComparison.Ordinal);

    private static string Escape(string text, string special, string? mentionBreaker)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c == '@' && mentionBreaker is not null)
            {
                builder.Append(mentionBreaker);
            }
            else
            {
                if (special.Contains(c, StringComparison.Ordinal))
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
