using System.Security.Cryptography;
using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;

namespace InfraDiff.IntegrationTests.Monitoring;

/// <summary>
/// <c>infradiff verify</c>'s engine on a real store made by real cycles (snapshots, a baseline, alert state, an
/// outbox entry whose receiver is down): intact, then each kind of file changed by one byte, a journal entry
/// removed, the journal cut short, and the whole store rolled back to an older copy.
/// </summary>
public sealed class StoreVerifierTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("idt-verify-").FullName;
    private readonly StoreKey key = StoreKey.FromBytes(RandomNumberGenerator.GetBytes(32));

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Store => Path.Join(work, "store");

    private string Tree => Path.Join(work, "tree");

    private async Task MakeStoreAsync(int cycles = 3)
    {
        Directory.CreateDirectory(Tree);
        var monitor = new DriftMonitor(
            new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = [Tree], UseCache = false })),
            new DriftMonitorOptions { Directory = Store, Against = DriftReference.Baseline, Snapshot = new SnapshotOptions { Only = ["files"] }, StoreKey = key },
            // A receiver that is not there: the alert stays in the outbox.
            [new WebhookAlertSink(new WebhookOptions { Url = new Uri("http://127.0.0.1:9/hook"), MaxAttempts = 1, Timeout = TimeSpan.FromSeconds(1) })]);
        for (var i = 0; i < cycles; i++)
        {
            File.WriteAllText(Path.Join(Tree, $"f{i}"), $"{i}");
            await monitor.RunCycleAsync();
        }
    }

    private IReadOnlyList<string> Verify() => StoreVerifier.Verify(Store, key, out _);

    private static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public async Task An_untouched_store_is_intact_with_its_head()
    {
        await MakeStoreAsync();

        Assert.Empty(StoreVerifier.Verify(Store, key, out var journal));
        Assert.True(journal.Sequence >= 6);
        Assert.Equal(64, journal.Head.Length);
    }

    [Theory]
    [InlineData("snapshot")]
    [InlineData("baseline.json")]
    [InlineData("state.json")]
    [InlineData("outbox")]
    public async Task One_flipped_byte_in_any_store_file_is_named(string kind)
    {
        await MakeStoreAsync();
        var file = kind switch
        {
            "snapshot" => Directory.GetFiles(Store, "snapshot-*.json").Order(StringComparer.Ordinal).Last(),
            "outbox" => Directory.GetFiles(Path.Join(Store, "outbox"), "*.json").First(),
            _ => Path.Join(Store, kind),
        };

        FlipByte(file);

        var problem = Assert.Single(Verify());
        Assert.StartsWith($"{Path.GetRelativePath(Store, file)}: its content differs", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flipped_byte_in_the_journal_names_its_entry()
    {
        await MakeStoreAsync();
        var journal = Path.Join(Store, "journal.jsonl");
        var lines = File.ReadAllLines(journal);
        lines[2] = lines[2].Replace("\"event\":\"write\"", "\"event\":\"wrote\"", StringComparison.Ordinal);
        File.WriteAllLines(journal, lines);

        Assert.StartsWith("journal entry 3 (line 3) fails its MAC", Verify()[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_journal_entry_breaks_the_chain_there()
    {
        await MakeStoreAsync();
        var journal = Path.Join(Store, "journal.jsonl");
        var lines = File.ReadAllLines(journal).ToList();
        lines.RemoveAt(3);
        File.WriteAllLines(journal, lines);

        Assert.StartsWith("journal entry 5 (line 4) does not follow entry 3", Verify()[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_journal_cut_short_is_caught_by_the_head_kept_outside_the_store()
    {
        await MakeStoreAsync();
        var journal = Path.Join(Store, "journal.jsonl");
        var lines = File.ReadAllLines(journal);
        File.WriteAllLines(journal, lines[..^2]);

        Assert.Contains(Verify(), p => p.StartsWith($"the journal ends at entry {lines.Length - 2}, but entry {lines.Length} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_rolled_back_to_an_older_copy_is_caught()
    {
        await MakeStoreAsync(cycles: 2);
        var copy = Path.Join(work, "older");
        CopyDirectory(Store, copy);
        await MakeStoreAsync(cycles: 2);

        Directory.Delete(Store, recursive: true);
        CopyDirectory(copy, Store);

        Assert.Contains(Verify(), p => p.Contains("the store was rolled back or the journal cut short", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forged_file_and_a_deleted_one_are_named()
    {
        await MakeStoreAsync();
        File.WriteAllText(Path.Join(Store, "outbox", "20260101T000000000Z-forged.json"), "{}");
        File.Delete(Path.Join(Store, "baseline.json"));

        var problems = Verify();

        Assert.Contains(problems, p => p.StartsWith("outbox/20260101T000000000Z-forged.json: tampered: the journal never recorded it", StringComparison.Ordinal));
        Assert.Contains("baseline.json: the journal says it exists, and it is gone", problems);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories).Prepend(from))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
