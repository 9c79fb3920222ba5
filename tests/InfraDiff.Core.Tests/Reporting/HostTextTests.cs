using System.Globalization;
using System.Text;

namespace InfraDiff.Tests.Reporting;

/// <summary>Host text made visible for a terminal or a runner, and inert for markdown.</summary>
public sealed class HostTextTests
{
    [Theory]
    [InlineData("two\nlines", @"two\nlines")]
    [InlineData("cr\r\ntab\t", @"cr\r\ntab\t")]
    [InlineData("esc\u001b[2Jbell\u0007", @"esc\u001B[2Jbell\u0007")]
    [InlineData("c1\u0085\u009b", @"c1\u0085\u009B")]
    [InlineData("del\u007f", @"del\u007F")]
    [InlineData("bidi\u202Egnp.exe", @"bidi\u202Egnp.exe")]
    [InlineData("zero\u200Bwidth\uFEFF", @"zero\u200Bwidth\uFEFF")]
    [InlineData("non\uFFFE\uFFFF\uFDD0", @"non\uFFFE\uFFFF\uFDD0")]
    [InlineData("tag\U000E0041", @"tag\U000E0041")]
    [InlineData(@"f\xFE café 日本 😀 a\\b", @"f\xFE café 日本 😀 a\\b")]
    public void Visible_writes_what_would_act_as_an_escape_and_leaves_the_rest(string text, string expected)
    {
        Assert.Equal(expected, HostText.Visible(text));
        Assert.Equal(expected, HostText.Visible(expected));
    }

    [Fact]
    public void No_character_that_acts_survives_visible()
    {
        var all = new StringBuilder();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            // Each surrogate alone, between letters: next to each other, a high and a low one make a character.
            all.Append((char)c).Append(char.IsSurrogate((char)c) ? "a" : "");
        }

        var visible = HostText.Visible(all.ToString());

        Assert.DoesNotContain(visible, c => char.IsControl(c) || char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format || c is >= '\uFDD0' and <= '\uFDEF' or '\uFFFE' or '\uFFFF');
    }

    [Fact]
    public void A_lone_surrogate_is_an_escape()
    {
        Assert.Equal(@"lone\uD800 \uDC00", HostText.Visible("lone\uD800 \uDC00"));
    }

    [Fact]
    public void Markdown_escapes_every_ascii_punctuation_character_and_nothing_else()
    {
        Assert.Equal(@"\*\*bold\*\* \[x\]\(http\:\/\/e\.example\) \<img\> a\|b \`c\` \&amp\; \\n café", HostText.Markdown("**bold** [x](http://e.example) <img> a|b `c` &amp; \n café"));
    }
}
