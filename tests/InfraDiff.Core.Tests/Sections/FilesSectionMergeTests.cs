using System.Runtime.InteropServices;
using InfraDiff.Sections.Files;

namespace InfraDiff.Core.Tests.Sections;

/// <summary>A targeted cycle's files section (the last one, with the written paths examined again) against the section a full scan writes.</summary>
public sealed class FilesSectionMergeTests
{
    private static FileEntry File(string sha256) => new("file", "0644", 0, "root", 0, "root", 3, sha256, null, null);

    private static readonly FileEntry Folder = new("dir", "0755", 0, "root", 0, "root", null, null, null, null);

    private static byte[] Text(System.Text.Json.JsonElement section) => JsonMarshal.GetRawUtf8Value(section).ToArray();

    [Fact]
    public void A_merged_section_is_byte_for_byte_the_one_a_full_scan_writes()
    {
        var before = new Dictionary<string, FileEntry>(StringComparer.Ordinal)
        {
            ["/etc/a"] = File("a1"),
            ["/etc/d"] = Folder,
            ["/etc/d-x"] = File("dx"),
            ["/etc/d/x"] = File("x1"),
            ["/etc/d/y/z"] = File("z1"),
            ["/etc/gone"] = File("g1"),
            ["/etc/z"] = File("z9"),
        };

        // /etc/a changed, /etc/0 and /etc/zz added (before and after every key), /etc/gone deleted, and /etc/d replaced
        // by a file: nothing beneath it is kept, while /etc/d-x (which sorts between /etc/d and /etc/d/) is.
        var after = new Dictionary<string, FileEntry>(StringComparer.Ordinal)
        {
            ["/etc/0"] = File("00"),
            ["/etc/a"] = File("a2"),
            ["/etc/d"] = File("now a file"),
            ["/etc/d-x"] = File("dx"),
            ["/etc/z"] = File("z9"),
            ["/etc/zz"] = File("zz"),
        };
        var updates = new Dictionary<string, FileEntry?>(StringComparer.Ordinal)
        {
            ["/etc/0"] = after["/etc/0"],
            ["/etc/a"] = after["/etc/a"],
            ["/etc/d"] = after["/etc/d"],
            ["/etc/gone"] = null,
            ["/etc/zz"] = after["/etc/zz"],
        };

        var merged = FilesSection.Merge(FilesSection.Write(before), updates, ["/etc/d/", "/etc/gone/"]);

        Assert.Equal(Text(FilesSection.Write(after)), Text(merged));
    }

    [Fact]
    public void Nothing_updated_copies_the_section_unchanged()
    {
        var entries = new Dictionary<string, FileEntry>(StringComparer.Ordinal) { ["/etc/a"] = File("a1"), ["/etc/b\\xFF"] = File("b1") };
        var section = FilesSection.Write(entries);

        Assert.Equal(Text(section), Text(FilesSection.Merge(section, [], [])));
    }
}
