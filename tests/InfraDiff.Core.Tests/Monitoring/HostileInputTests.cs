using System.Diagnostics;
using System.Security.Cryptography;
using InfraDiff.Monitoring;
using InfraDiff.Snapshots;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Monitoring;

/// <summary>
/// Keys and journals as an attacker or a slip of the hand leaves them (a FIFO, a device, a sparse file of gigabytes, a
/// line of a gigabyte): each is one clear error or one store problem, at once, and the memory it costs is measured.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    /// <summary>The most one hostile input may make infradiff allocate.</summary>
    private const long MemoryLimit = 100L << 20;

    private readonly string work = Directory.CreateTempSubdirectory("infradiff-hostile-input-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    /// <summary>What <paramref name="action"/> allocated on this thread and how long it took.</summary>
    private static (long Bytes, TimeSpan Elapsed) Measure(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        action();
        return (GC.GetAllocatedBytesForCurrentThread() - before, clock.Elapsed);
    }

    public static TheoryData<string, string> Keys => new()
    {
        { "fifo", "a FIFO, not a key file" },
        { "/dev/zero", "a character device, not a key file" },
        { "sparse", "not a key (1,610,612,736 bytes; a key is 32)" },
        { "short", "not a key (31 bytes; a key is 32)" },
        { "folder", "a directory, not a key file" },
        { "loop", "cannot read the key: " },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_key_that_is_not_32_bytes_of_a_regular_file_is_refused_at_once_without_being_read(string kind, string problem)
    {
        var path = kind == "/dev/zero" ? kind : Path.Join(work, "store.key");
        switch (kind)
        {
            case "fifo":
                Fixtures.RunTool("mkfifo", path);
                break;
            case "sparse":
                Fixtures.RunTool("truncate", "-s", "1536M", path);
                break;
            case "short":
                File.WriteAllBytes(path, new byte[31]);
                break;
            case "folder":
                Directory.CreateDirectory(path);
                break;
            case "loop":
                File.CreateSymbolicLink(path, path);
                break;
        }

        InfraDiffException? error = null;
        var (bytes, elapsed) = Measure(() => error = Assert.ThrowsAny<InfraDiffException>(() => StoreKey.Load(path)));

        Assert.Equal($"{path}: {problem}", error!.Message[..Math.Min(error.Message.Length, path.Length + 2 + problem.Length)]);
        Assert.InRange(bytes, 0, MemoryLimit);
        Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.ThrowsAny<InfraDiffException>(() => StoreKey.LoadExisting(path));
    }

    [Fact]
    public void Verify_never_makes_a_key()
    {
        var path = Path.Join(work, "none.key");

        var error = Assert.Throws<InfraDiffException>(() => StoreKey.LoadExisting(path));

        Assert.StartsWith($"{path}: no store key", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("line")]
    [InlineData("junk")]
    public async Task A_journal_with_a_gigabyte_line_or_junk_lines_is_a_store_problem_read_in_bounded_memory(string kind)
    {
        var key = StoreKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var store = Path.Join(work, "store");
        var monitorStore = new SnapshotStore(store, key);
        using (monitorStore.Lock())
        {
            await monitorStore.SaveAsync(new Snapshot(1, new SnapshotMetadata("h", DateTimeOffset.UnixEpoch, "t", new Dictionary<string, CollectorReport>()), new Dictionary<string, System.Text.Json.JsonElement>()));
        }

        var journal = Path.Join(store, "journal.jsonl");
        if (kind == "line")
        {
            // 1.17 GB of NUL bytes and no line break, without writing them: a sparse extension of the file.
            Fixtures.RunTool("truncate", "-s", "+1170M", journal);
        }
        else
        {
            using var writer = File.AppendText(journal);
            for (var i = 0; i < 200_000; i++)
            {
                writer.WriteLine("junk junk junk junk junk junk junk junk junk junk junk junk junk junk junk junk");
            }
        }

        IReadOnlyList<string> problems = [];
        var (bytes, _) = Measure(() => problems = StoreVerifier.Verify(store, key, out _));

        Assert.Equal(kind == "line" ? "journal.jsonl: line 2 is longer than 65,536 bytes" : "journal line 2 is not a journal entry", problems[0]);
        Assert.InRange(bytes, 0, MemoryLimit);
    }
}
