using System.Security.Cryptography;
using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;

namespace InfraDiff.Tests.Monitoring;

/// <summary>
/// A real store, made by real cycles of a monitor over a real tree, planted with what an intruder or a clumsy
/// operator leaves there: links to folders and files outside, a dangling journal, stray files, a deleted alert. Each
/// is never followed, never written through, and told in a critical store alert (to a real file sink).
/// </summary>
public sealed class HostileStoreTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("infradiff-hostile-store-").FullName;
    private readonly StoreKey key = StoreKey.FromBytes(RandomNumberGenerator.GetBytes(32));

    public HostileStoreTests()
    {
        Directory.CreateDirectory(Tree);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Join(Tree, "a"), "1");
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Store => Path.Join(work, "store");

    private string Tree => Path.Join(work, "tree");

    private string Outside => Path.Join(work, "outside");

    private string Alerts => Path.Join(work, "alerts.jsonl");

    /// <summary>A monitor over the tree; its alerts go to a file, or to a receiver that is not there (they wait in the outbox).</summary>
    private DriftMonitor Monitor(bool receiverDown = false, StoreKey? storeKey = null) => new(
        new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = [Tree], UseCache = false })),
        new DriftMonitorOptions { Directory = Store, Snapshot = new SnapshotOptions { Only = ["files"] }, StoreKey = storeKey ?? key, Heartbeat = TimeSpan.Zero },
        [receiverDown
            ? new WebhookAlertSink(new WebhookOptions { Url = new Uri("http://127.0.0.1:9/hook"), MaxAttempts = 1, Timeout = TimeSpan.FromSeconds(1) })
            : new FileAlertSink(Alerts)]);

    /// <summary>The summaries of the store's own alerts delivered so far.</summary>
    private List<string> StoreAlerts() => !File.Exists(Alerts) ? [] :
        [.. File.ReadAllLines(Alerts)
            .SelectMany(l => JsonDocument.Parse(l).RootElement.GetProperty("changes").EnumerateArray().Select(c => c.Clone()))
            .Where(c => c.GetProperty("category").GetString() == "store")
            .Select(c => $"{c.GetProperty("severity").GetString()} {c.GetProperty("summary").GetString()}")];

    private IReadOnlyList<string> Verify() => StoreVerifier.Verify(Store, key, out _);

    [Theory]
    [InlineData("reports")]
    [InlineData("outbox")]
    [InlineData("quarantine")]
    public async Task A_store_folder_made_a_link_to_a_folder_outside_gets_nothing_written_there(string folder)
    {
        await Monitor().RunCycleAsync();
        Directory.Delete(Directory.CreateDirectory(Path.Join(Store, folder)).FullName, recursive: true);
        File.CreateSymbolicLink(Path.Join(Store, folder), Outside);
        File.WriteAllText(Path.Join(Tree, "b"), "2");

        await Monitor().RunCycleAsync();
        await Monitor().RunCycleAsync();

        Assert.Empty(Directory.GetFileSystemEntries(Outside));
        Assert.True(Directory.Exists(Path.Join(Store, folder)) && new DirectoryInfo(Path.Join(Store, folder)).LinkTarget is null);
        Assert.Contains(StoreAlerts(), a => a.StartsWith($"critical store file {folder}: a symlink", StringComparison.Ordinal));
        Assert.Empty(Verify());
    }

    [Theory]
    [InlineData(".lock.pid")]
    [InlineData(".lock")]
    public async Task A_lock_file_linked_to_a_file_outside_leaves_that_file_as_it_was(string name)
    {
        await Monitor().RunCycleAsync();
        var passwd = Path.Join(Outside, "passwd");
        File.WriteAllText(passwd, "root:x:0:0:root:/root:/bin/bash\n");
        File.Delete(Path.Join(Store, name));
        File.CreateSymbolicLink(Path.Join(Store, name), passwd);

        await Monitor().RunCycleAsync();

        Assert.Equal("root:x:0:0:root:/root:/bin/bash\n", File.ReadAllText(passwd));
        Assert.Null(new FileInfo(Path.Join(Store, name)).LinkTarget);
    }

    [Fact]
    public async Task A_dangling_journal_link_is_a_store_alert_and_the_cycle_goes_on()
    {
        await Monitor().RunCycleAsync();
        File.Delete(Path.Join(Store, "journal.jsonl"));
        File.CreateSymbolicLink(Path.Join(Store, "journal.jsonl"), Path.Join(Outside, "nowhere.jsonl"));

        var cycle = await Monitor().RunCycleAsync();

        Assert.NotNull(cycle.Report);
        Assert.Contains(StoreAlerts(), a => a.StartsWith("critical store file journal.jsonl: journal.jsonl: a symlink", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Join(Outside, "nowhere.jsonl")));
        Assert.Empty(Verify());
    }

    [Fact]
    public async Task A_stray_file_in_the_store_is_quarantined_and_alerted()
    {
        await Monitor().RunCycleAsync();
        File.WriteAllText(Path.Join(Store, "notes.json"), "{}");
        File.WriteAllText(Path.Join(Directory.CreateDirectory(Path.Join(Store, "outbox")).FullName, "extra.txt"), "x");
        File.WriteAllText(Path.Join(Store, "reports", "cycle-20990101T000000.000Z.json"), "{}");

        Assert.Equal(3, Verify().Count);
        await Monitor().RunCycleAsync();

        var alerts = StoreAlerts();
        Assert.Contains(alerts, a => a.StartsWith("critical store file notes.json: not a file the store writes", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.StartsWith("critical store file outbox/extra.txt: not a file the store writes", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.StartsWith("critical store file reports/cycle-20990101T000000.000Z.json: tampered: the journal never recorded it", StringComparison.Ordinal));
        Assert.Equal(3, Directory.GetFiles(Path.Join(Store, "quarantine")).Length);
        Assert.Empty(Verify());
    }

    [Fact]
    public async Task A_key_file_the_operator_keeps_inside_the_store_is_left_alone()
    {
        // The container image's layout: SNAPSHOT_DIR=/snapshots with the key and caches in /snapshots/.cache.
        var keyFile = Path.Join(Store, ".cache", "infradiff", "store.key");
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        await Monitor(storeKey: StoreKey.Load(keyFile)).RunCycleAsync();
        File.WriteAllText(Path.Join(Tree, "a"), "2");

        var cycle = await Monitor(storeKey: StoreKey.Load(keyFile)).RunCycleAsync();

        Assert.Equal(["/files/" + Path.Join(Tree, "a").Replace("/", "~1", StringComparison.Ordinal)], cycle.Report!.Changes.Select(c => c.Path));
        Assert.Empty(StoreAlerts());
        Assert.True(File.Exists(keyFile));
        Assert.False(Directory.Exists(Path.Join(Store, "quarantine", ".cache")));
    }

    [Fact]
    public async Task An_undelivered_alert_deleted_by_hand_is_named_by_verify_and_by_the_next_cycle()
    {
        await Monitor(receiverDown: true).RunCycleAsync();
        File.WriteAllText(Path.Join(Tree, "b"), "2");
        await Monitor(receiverDown: true).RunCycleAsync();
        var entry = Assert.Single(Directory.GetFiles(Path.Join(Store, "outbox"), "*.json"));
        var alertKey = Path.GetFileNameWithoutExtension(entry).Split('-')[^1];

        File.Delete(entry);

        var problem = Assert.Single(Verify());
        Assert.Equal($"outbox/{Path.GetFileName(entry)}: the journal says it exists, and it is gone (alert {alertKey}: 1 change: 0 critical, 0 high, 1 medium, 0 low)", problem);
        await Monitor().RunCycleAsync();
        Assert.Contains($"critical store file outbox/{Path.GetFileName(entry)}: alert {alertKey}: 1 change: 0 critical, 0 high, 1 medium, 0 low, not yet delivered, was deleted behind the store's back; it will not be delivered", StoreAlerts());
    }
}
