using System.Globalization;
using System.Text;
using System.Text.Json;
using InfraDiff.Snapshots;

namespace InfraDiff.Tests.Snapshots;

/// <summary>
/// Snapshots and reports keep every letter as itself, but no character that reorders or hides text reaches a
/// terminal that prints them: each formatting character is a \u escape, and parsing gives back the same string.
/// </summary>
public sealed class JsonEscapingTests
{
    public static TheoryData<bool> Writers => [true, false];

    private static string Json(string value, bool utf8) => utf8
        ? Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { [value] = value }, SnapshotJson.Options))
        : JsonSerializer.Serialize(new Dictionary<string, string> { [value] = value }, SnapshotJson.Options);

    [Theory]
    [MemberData(nameof(Writers))]
    public void Every_formatting_character_is_escaped_and_reads_back(bool utf8)
    {
        var formats = Enumerable.Range(0x80, 0xFF80).Where(c => c is < 0xD800 or > 0xDFFF && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format).ToList();
        Assert.Contains(0x202E, formats);

        foreach (var c in formats)
        {
            var value = $"a/é{(char)c}b.conf";
            var json = Json(value, utf8);

            Assert.Contains($"\\u{c:X4}", json, StringComparison.Ordinal);
            Assert.DoesNotContain((char)c, json);
            Assert.Equal(value, JsonSerializer.Deserialize<Dictionary<string, string>>(json)!.Keys.Single());
        }
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public void Letters_and_html_characters_are_written_as_they_are(bool utf8)
    {
        const string Value = "café 日本 <a href='x'>&+ \\xFE";

        Assert.Equal("""{"café 日本 <a href='x'>&+ \\xFE":"café 日本 <a href='x'>&+ \\xFE"}""", Json(Value, utf8));
    }

    [Fact]
    public void A_long_value_with_one_formatting_character_late_in_it_is_escaped()
    {
        var value = new string('a', 10_000) + "é\u2066" + new string('b', 10_000);

        Assert.Contains("é\\u2066b", Json(value, utf8: true), StringComparison.Ordinal);
        Assert.Contains("é\\u2066b", Json(value, utf8: false), StringComparison.Ordinal);
    }
}
