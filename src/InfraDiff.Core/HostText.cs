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
