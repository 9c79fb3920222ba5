using System.Text;
using System.Text.Json;
using InfraDiff.Diffing;
using InfraDiff.Snapshots;

namespace InfraDiff.Tests.Diffing;

/// <summary>
/// <see cref="SnapshotDiffer.CompareAsync"/> merges the files sections from the files' text; whatever the sections
/// hold, its report must be the one <see cref="SnapshotDiffer.Compare"/> gives for the same snapshots parsed whole.
/// </summary>
public sealed class SnapshotFileDiffTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-filediff-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Text(string sections, string collectors = """{"files":{"status":"ok"}}""") =>
        $$"""{"schemaVersion":1,"metadata":{"host":"web1","takenAt":"2026-11-27T14:00:00Z","tool":"t","collectors":{{collectors}}},{{sections}}}""";

    public static TheoryData<string, string> Pairs => new()
    {
        // Every category, a file changed and one added.
        {
            """
            "users":{"accounts":{"alice":{"uid":1000,"shell":"/bin/bash"}}},
            "packages":{"openssl":{"version":"3.0.11"},"curl":{"version":"7.88"}},
            "files":{"/etc/ssh/sshd_config":{"sha256":"aa","mode":"0644"}},
            "custom":{"answer":41}
            """,
            """
            "users":{"accounts":{"alice":{"uid":1000,"shell":"/bin/zsh"},"mallory":{"uid":0}}},
            "packages":{"openssl":{"version":"3.0.13"},"jq":{"version":"1.6"}},
            "files":{"/etc/ssh/sshd_config":{"sha256":"bb","mode":"0644"},"/usr/bin/sudo2":{"type":"file","sha256":"cc","mode":"4755","owner":"root","group":"root","size":10}},
            "custom":{"answer":42}
            """
        },

        // What the package database explains (a version change, a new package's directories) and contradicts.
        {
            """
            "packages":{"coreutils":{"version":"9.1-1"},"nginx":{"version":"1.22-1"}},
            "files":{"/usr/bin/ls":{"type":"file","package":"coreutils","verified":true,"sha256":"a","size":1},
                     "/usr/sbin/nginx":{"type":"file","package":"nginx","verified":true,"sha256":"c","size":1},
                     "/usr/share/doc":{"type":"dir"}}
            """,
            """
            "packages":{"coreutils":{"version":"9.1-1"},"nginx":{"version":"1.24-1"},"extra":{"version":"1.2-1"}},
            "files":{"/usr/bin/ls":{"type":"file","package":"coreutils","verified":false,"sha256":"b","size":1},
                     "/usr/sbin/nginx":{"type":"file","package":"nginx","verified":true,"sha256":"d","size":2},
                     "/usr/share/doc":{"type":"dir"},
                     "/usr/share/doc/extra":{"type":"dir"},
                     "/usr/share/doc/extra/copyright":{"type":"file","package":"extra","verified":true,"sha256":"b","size":1}}
            """
        },

        // Names escaped, out of order, with "~", non-ASCII (UTF-8 order is not UTF-16 order), and values of every kind.
        {
            """ "files":{"/b":{"size":1},"\u002fa":{"size":1},"/c~d/e":{"size":2},"/é":{"x":[1,2]},"/😀":1,"/Ａ":"x","/n":null} """,
            """ "files":{"/a":{"size":2},"/c~d/e":{"size":2},"/\u00e9":{"x":[1,3]},"/\u00e9x":{"size":3},"/Ａ":"y","/😀":1,"/n":null,"/z":[]} """
        },

        // The same values written otherwise: different text, no change.
        {
            """ "files":{"/a":{"size":1,"mode":"0644"},"/b":{"n":1.0}} """,
            """ "files":{"/a": { "mode" : "0644", "size" : 1 }, "/b":{"n":1.0}} """
        },

        // A files section that is not an object on one side, absent on the other, empty on both.
        { """ "files":[] """, """ "files":{"/a":{}} """ },
        { """ "files":{"/a":{}} """, """ "packages":{} """ },
        { """ "files":{} """, """ "files":{} """ },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Comparing_the_files_gives_the_report_of_comparing_the_parsed_snapshots(string before, string after)
    {
        var collectors = after.Contains("\"files\"", StringComparison.Ordinal) ? """{"files":{"status":"ok"}}""" : """{"files":{"status":"failed","reason":"disk gone"}}""";
        await AssertSameReport(Text(before), Text(after, collectors));
    }

    [Fact]
    public async Task A_large_section_with_escapes_and_shuffled_names_gives_the_same_report_under_rules()
    {
        var random = new Random(6902);
        string Entry(int i, int salt) => $$"""{"type":"file","mode":"{{(i % 7 == 0 ? "4755" : "0644")}}","sha256":"{{(i * 31 + salt) % 1000}}","size":{{i % 50}}}""";
        string Name(int i) => i % 9 == 0 ? $"\\u002fd{i % 13}/f{i}" : $"/d{i % 13}/f{i}\u00e9";
        string Section(IEnumerable<string> members) => "\"files\":{" + string.Join(",", members.OrderBy(_ => random.Next())) + "}";
        var before = Section(Enumerable.Range(0, 3_000).Select(i => $"\"{Name(i)}\":{Entry(i, 0)}"));
        var after = Section(Enumerable.Range(0, 3_000).Where(i => i % 97 != 0).Concat(Enumerable.Range(5_000, 20))
            .Select(i => $"\"{Name(i)}\":{Entry(i, i % 11 == 0 ? 1 : 0)}"));
        var rules = new DriftRules
        {
            MinimumSeverity = Severity.Medium,
            Ignore = [new IgnoreRule("/files/~1d3~1*")],
        };

        await AssertSameReport(Text(before), Text(after), rules);
    }

    [Fact]
    public async Task A_huge_file_that_is_not_json_is_refused_at_its_first_byte_without_reading_the_rest()
    {
        var before = Path.Join(directory, "before.json");
        var after = Path.Join(directory, "zeros.json");
        await File.WriteAllTextAsync(before, Text(""" "files":{"/a":{"size":1}} """));
        await using (var sparse = File.Create(after))
        {
            sparse.SetLength(1_900_000_000);
        }

        var readBefore = BytesReadByThisProcess();
        var error = await Assert.ThrowsAsync<InvalidSnapshotException>(() => SnapshotDiffer.CompareAsync(before, after));

        Assert.Equal($"{after}: invalid JSON at line 1, position 1", error.Message);
        // Whatever else this process reads meanwhile, it is far below the file's 1.9 GB.
        Assert.InRange(BytesReadByThisProcess() - readBefore, 0, 500_000_000);
    }

    /// <summary>rchar in /proc/self/io: the bytes this process's read calls returned.</summary>
    private static long BytesReadByThisProcess() =>
        long.Parse(File.ReadAllLines("/proc/self/io").Single(l => l.StartsWith("rchar:", StringComparison.Ordinal))[6..].Trim(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_name_twice_inside_a_file_entry_is_refused_naming_the_file()
    {
        var before = Path.Join(directory, "before.json");
        var after = Path.Join(directory, "after.json");
        await File.WriteAllTextAsync(before, Text(""" "files":{"/a":{"size":1}} """));
        await File.WriteAllTextAsync(after, Text(""" "files":{"/a":{"size":1,"mode":"0644","size":2}} """));

        var error = await Assert.ThrowsAsync<InvalidSnapshotException>(() => SnapshotDiffer.CompareAsync(before, after));

        Assert.Equal($"{after}: invalid JSON: duplicate key size", error.Message);
    }

    private async Task AssertSameReport(string before, string after, DriftRules? rules = null)
    {
        var beforePath = Path.Join(directory, "before.json");
        var afterPath = Path.Join(directory, "after.json");
        await File.WriteAllTextAsync(beforePath, before);
        await File.WriteAllTextAsync(afterPath, after);

        var whole = SnapshotDiffer.Compare(SnapshotFile.Parse(beforePath, Encoding.UTF8.GetBytes(before)), SnapshotFile.Parse(afterPath, Encoding.UTF8.GetBytes(after)), rules);
        var merged = await SnapshotDiffer.CompareAsync(beforePath, afterPath, rules);

        Assert.Equal(Lines(whole), Lines(merged));
    }

    private static List<string> Lines(DriftReport report) =>
    [
        .. report.Changes.Select(c => $"{c.Kind} {c.Path} {Raw(c.OldValue)} {Raw(c.NewValue)} {c.Severity} {c.Summary} {c.ExplainedBy}"),
        .. report.Unknown.Select(u => $"unknown {u.Category} {u.Part} {u.Reason}"),
        .. report.Compared.Select(name => $"compared {name}"),
        .. report.ToPatch().Select(o => $"{o.Op} {o.Path} {Raw(o.Value)}"),
    ];

    private static string Raw(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? "-" : value.GetRawText();
}
