using System.Text;
using System.Text.Json;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;

namespace InfraDiff.Tests.Snapshots;

public sealed class SnapshotFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-file-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static Snapshot Sample(string json) =>
        new(1, new SnapshotMetadata("h", new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero), "infradiff test", new Dictionary<string, CollectorReport>()),
            new Dictionary<string, JsonElement> { ["zeta"] = JsonDocument.Parse(json).RootElement, ["alpha"] = JsonDocument.Parse("{}").RootElement });

    [Fact]
    public void Writes_keys_sorted_ordinally_at_every_level_with_reserved_keys_first()
    {
        var text = Encoding.UTF8.GetString(SnapshotJson.ToCanonicalBytes(Sample("""{"b":{"y":1,"X":2},"a":[{"d":1,"c":2}]}"""), indented: false));

        Assert.Equal(
            """{"schemaVersion":1,"metadata":{"collectors":{},"host":"h","takenAt":"2026-11-27T14:00:00Z","tool":"infradiff test"},"alpha":{},"zeta":{"a":[{"c":2,"d":1}],"b":{"X":2,"y":1}}}""",
            text);
    }

    [Theory]
    [InlineData("""{"Ａ":1,"😀":2}""", """{"\uD83D\uDE00":2,"Ａ":1}""")] // UTF-8 byte order is not UTF-16 order
    [InlineData("""{"\u0062":1,"a":2}""", """{"a":2,"b":1}""")] // an escaped name out of order
    [InlineData("""{"a":1,"\u0062":2}""", """{"a":1,"b":2}""")] // an escaped name in order
    [InlineData("""{"a":{"d":1,"c":2},"b":3}""", """{"a":{"c":2,"d":1},"b":3}""")] // ordered outside, not inside
    public void Sorts_names_in_utf16_ordinal_order_whatever_their_bytes_and_escapes(string json, string expected)
    {
        var text = Encoding.UTF8.GetString(SnapshotJson.ToCanonicalBytes(JsonDocument.Parse(json).RootElement, indented: false));

        Assert.Equal(expected, text);
    }

    [Fact]
    public void A_section_its_collector_wrote_is_copied_byte_for_byte_as_the_canonical_walk_writes_it()
    {
        // Names whose UTF-8 byte order differs from UTF-16 order, escapes, non-ASCII values, every optional field.
        var entries = new Dictionary<string, FileEntry>(StringComparer.Ordinal)
        {
            ["/z"] = new("file", "4755", 0, "root", 0, "root", 3, new string('a', 64), null, null, "coreutils", false, true),
            ["/\uE000"] = new("dir", "0755", 1000, null, 1000, null, null, null, null, "permission denied"),
            ["/\U0001F600"] = new("file", "0600", 0, "root", 0, "root", 0, new string('b', 64), null, null),
            ["/a\"b\n"] = new("symlink", null, 0, "root", 0, "root", null, null, "../ü\t", null, "pkg"),
            ["/ü"] = new("other", "0644", 5, "ünïcode", 5, null, null, null, null, null),
        };
        var files = FilesSection.Write(entries);
        var snapshot = Sample("{}") with { Sections = new Dictionary<string, JsonElement> { ["files"] = files, ["one"] = files.GetProperty("/z") } };

        var copied = SnapshotJson.ToCanonicalBytes(snapshot);
        var walked = SnapshotJson.ToCanonicalBytes(SnapshotFile.Parse("copied", copied));

        Assert.Equal(Encoding.UTF8.GetString(walked), Encoding.UTF8.GetString(copied));
        Assert.Contains("\n  \"one\": {\n    \"conffile\": true,", Encoding.UTF8.GetString(copied), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_atomically_with_owner_only_permissions_and_reads_back()
    {
        var path = Path.Join(directory, "snap.json");
        await File.WriteAllTextAsync(path, "old");

        await SnapshotFile.WriteAsync(path, Sample("""{"k":"v"}"""));
        var read = await SnapshotFile.ReadAsync(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["snap.json"], Directory.GetFiles(directory).Select(Path.GetFileName));
        Assert.Equal("v", read.Sections["zeta"].GetProperty("k").GetString());
        Assert.Equal("h", read.Metadata.Host);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":1,\n\"metadata\":{},\n\"os\": {,}}", "invalid JSON at line 3")]
    [InlineData("[1,2]", "not an infradiff snapshot (the document is not a JSON object)")]
    [InlineData("{\"os\":{}}", "not an infradiff snapshot (no schemaVersion)")]
    [InlineData("{\"schemaVersion\":7,\"metadata\":{}}", "unknown schemaVersion 7 (this infradiff reads 1)")]
    [InlineData("{\"schemaVersion\":1}", "not an infradiff snapshot (no metadata object)")]
    // Duplicates in order (a name right after itself), out of order, escaped, and deep inside an array.
    [InlineData("{\"schemaVersion\":1,\"metadata\":{},\"files\":{\"/a\":{},\"/a\":{}}}", "invalid JSON: duplicate key /a")]
    [InlineData("{\"schemaVersion\":1,\"metadata\":{},\"os\":{\"z\":1,\"b\":2,\"y\":3,\"b\":4}}", "invalid JSON: duplicate key b")]
    [InlineData("{\"schemaVersion\":1,\"metadata\":{},\"os\":{\"a\":1,\"\\u0061\":2}}", "invalid JSON: duplicate key a")]
    [InlineData("{\"schemaVersion\":1,\"metadata\":{},\"os\":{\"x\":[{\"k\":{\"m\":1,\"n\":2,\"m\":3}}]}}", "invalid JSON: duplicate key m")]
    [InlineData("{\"metadata\":{},\"schemaVersion\":1,\"metadata\":{}}", "invalid JSON: duplicate key metadata")]
    public void Rejects_what_is_not_a_snapshot_with_one_clear_message(string json, string expected)
    {
        var error = Assert.Throws<InvalidSnapshotException>(() => SnapshotFile.Parse("before.json", Encoding.UTF8.GetBytes(json)));

        Assert.StartsWith($"before.json: {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_two_bad_files_the_first_is_named_though_the_second_fails_first_to_parse()
    {
        var first = Path.Join(directory, "first.json");
        var second = Path.Join(directory, "second.json");
        await File.WriteAllTextAsync(first, """{"schemaVersion":1,"metadata":{},"metadata":{}}""");
        await File.WriteAllTextAsync(second, "{,");

        var error = await Assert.ThrowsAsync<InvalidSnapshotException>(() => InfraDiff.Diffing.SnapshotDiffer.CompareAsync(first, second));

        Assert.Equal($"{first}: invalid JSON: duplicate key metadata", error.Message);
    }

    [Fact]
    public void The_same_name_in_different_objects_is_no_duplicate()
    {
        var snapshot = SnapshotFile.Parse("ok.json", Encoding.UTF8.GetBytes("""{"schemaVersion":1,"metadata":{"host":"h","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{}},"os":{"b":{"a":1},"a":{"a":[{"a":1},{"a":2}]},"":{"":0}}}"""));

        Assert.Equal(2, snapshot.Sections["os"].GetProperty("a").GetProperty("a")[1].GetProperty("a").GetInt32());
    }

    [Fact]
    public async Task A_missing_file_is_named_in_the_error()
    {
        var error = await Assert.ThrowsAsync<InvalidSnapshotException>(() => SnapshotFile.ReadAsync(Path.Join(directory, "absent.json")));

        Assert.EndsWith("absent.json: no such file", error.Message, StringComparison.Ordinal);
    }
}
