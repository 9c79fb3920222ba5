using System.Text;
using System.Text.Json;

namespace InfraDiff.Snapshots;

/// <summary>
/// An object section kept as the text it was read from, with where each member's name and value lie, in name order.
/// Two million-entry files sections are diffed by merging these: a <see cref="JsonDocument"/> of a 280 MB snapshot
/// holds some 230 MB of token rows besides the text, and only the entries that differ are ever parsed.
/// </summary>
internal sealed class SectionText
{
    private readonly ReadOnlyMemory<byte> json;
    private readonly Member[] members;

    /// <param name="json">The whole document the section is in.</param>
    /// <param name="start">Where the section's '{' is.</param>
    /// <param name="length">The section's length, to its '}'.</param>
    /// <param name="members">Its members in document order; names are known to be distinct.</param>
    public SectionText(ReadOnlyMemory<byte> json, int start, int length, Member[] members)
    {
        this.json = json;
        Start = start;
        Length = length;
        this.members = members;
        for (var k = 1; k < members.Length; k++)
        {
            if (Compare(members[k - 1], members[k]) > 0)
            {
                Array.Sort(members, Compare);
                break;
            }
        }
    }

    /// <summary>Where a member is: its name's raw bytes (between the quotes) and its value's text.</summary>
    internal readonly record struct Member(int NameStart, int NameLength, bool Escaped, int ValueStart, int ValueLength);

    public int Start { get; }

    public int Length { get; }

    /// <summary>
    /// The members whose text differs between <paramref name="before"/> and <paramref name="after"/>, merged by name in
    /// name order: each with its value on either side (undefined on the side that lacks it). A member whose text is the
    /// same on both sides is skipped unparsed.
    /// </summary>
    public static IEnumerable<(string Name, JsonElement Before, JsonElement After)> Differing(SectionText before, SectionText after)
    {
        var a = before.members;
        var b = after.members;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var order = i == a.Length ? 1 : j == b.Length ? -1 : CompareNames(before, a[i], after, b[j]);
            if (order < 0)
            {
                yield return (before.Name(a[i]), before.Value(a[i]), default);
                i++;
            }
            else if (order > 0)
            {
                yield return (after.Name(b[j]), default, after.Value(b[j]));
                j++;
            }
            else
            {
                if (!before.ValueText(a[i]).SequenceEqual(after.ValueText(b[j])))
                {
                    yield return (before.Name(a[i]), before.Value(a[i]), after.Value(b[j]));
                }

                i++;
                j++;
            }
        }
    }

    /// <summary>The members' names, in name order.</summary>
    public IEnumerable<string> Names() => members.Select(Name);

    /// <summary>The value of the member named <paramref name="name"/>, found by binary search; undefined when there is none.</summary>
    public JsonElement Find(string name)
    {
        var key = Encoding.UTF8.GetBytes(name);
        int low = 0, high = members.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            var order = CompareName(members[mid], key);
            if (order == 0)
            {
                return Value(members[mid]);
            }

            if (order < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return default;
    }

    private ReadOnlySpan<byte> RawName(Member member) => json.Span.Slice(member.NameStart, member.NameLength);

    private ReadOnlySpan<byte> ValueText(Member member) => json.Span.Slice(member.ValueStart, member.ValueLength);

    /// <summary>The value parsed on its own: the document reads the section's text, it does not copy it.</summary>
    private JsonElement Value(Member member) => JsonDocument.Parse(json.Slice(member.ValueStart, member.ValueLength)).RootElement;

    private string Name(Member member)
    {
        if (!member.Escaped)
        {
            return Encoding.UTF8.GetString(RawName(member));
        }

        // The name with its quotes is a JSON string a reader unescapes.
        var reader = new Utf8JsonReader(json.Span.Slice(member.NameStart - 1, member.NameLength + 2));
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>An escaped name's UTF-8 bytes once unescaped.</summary>
    private byte[] NameBytes(Member member) => Encoding.UTF8.GetBytes(Name(member));

    /// <summary>Orders a member's name against unescaped UTF-8 bytes, as the differ orders an object's members.</summary>
    private int CompareName(Member member, ReadOnlySpan<byte> name) =>
        (member.Escaped ? NameBytes(member) : RawName(member)).SequenceCompareTo(name);

    private int Compare(Member x, Member y) => CompareNames(this, x, this, y);

    private static int CompareNames(SectionText xs, Member x, SectionText ys, Member y) =>
        xs.CompareName(x, y.Escaped ? ys.NameBytes(y) : ys.RawName(y));
}
