using System.Text;
using InfraDiff.Host;

namespace InfraDiff.Tests.Host;

/// <summary>A file name is bytes: each has one string, two never share one, and the string gives the bytes back.</summary>
public sealed class HostPathTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'f', 0xFE }, @"f\xFE")]
    [InlineData(new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xE9 }, @"caf\xE9")]
    [InlineData(new byte[] { 0xC0, 0x80 }, @"\xC0\x80")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, @"\xED\xA0\x80")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, @"\xF4\x90\x80\x80")]
    [InlineData(new byte[] { (byte)'\\', (byte)'x', (byte)'F', (byte)'E' }, @"\\xFE")]
    [InlineData(new byte[] { (byte)'a', (byte)'\\', (byte)'b' }, @"a\\b")]
    [InlineData(new byte[] { 0x63, 0x61, 0x66, 0xC3, 0xA9 }, "café")]
    [InlineData(new byte[] { 0xE2, 0x80, 0xAE }, "\u202E")]
    public void A_name_is_written_as_its_utf8_with_each_other_byte_escaped(byte[] bytes, string expected)
    {
        Assert.Equal(expected, HostPath.FromBytes(bytes));
        Assert.Equal(bytes, HostPath.ToBytes(expected));
    }

    [Fact]
    public void A_backslash_that_escapes_nothing_is_itself_as_typed()
    {
        Assert.Equal("a\\b"u8.ToArray(), HostPath.ToBytes(@"a\b"));
        Assert.Equal("x\\"u8.ToArray(), HostPath.ToBytes(@"x\"));
        Assert.Equal("\\xZZ"u8.ToArray(), HostPath.ToBytes(@"\xZZ"));
    }

    [Fact]
    public void Any_bytes_round_trip_and_two_names_never_share_a_string()
    {
        // Names drawn mostly from the bytes that make escapes ambiguous: backslash, 'x', hex digits, lead and
        // continuation bytes, and a few letters; 20,000 of them, from a fixed seed so a failure can be replayed.
        var alphabet = "\\xX0Fa/é"u8.ToArray().Concat(new byte[] { 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFE, 0xFF }).ToArray();
        var random = new Random(20261207);
        var seen = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = Enumerable.Range(0, random.Next(0, 9)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var text = HostPath.FromBytes(bytes);

            Assert.Equal(bytes, HostPath.ToBytes(text));
            Assert.True(!seen.TryGetValue(text, out var other) || other.AsSpan().SequenceEqual(bytes), $"{Convert.ToHexString(bytes)} and {Convert.ToHexString(other ?? [])} are both {text}");
            seen[text] = bytes;
            if (Array.IndexOf(bytes, (byte)'\\') < 0 && Encoding.UTF8.GetString(bytes) is var decoded && !decoded.Contains('\uFFFD', StringComparison.Ordinal))
            {
                Assert.Equal(decoded, text);
            }
        }
    }
}
