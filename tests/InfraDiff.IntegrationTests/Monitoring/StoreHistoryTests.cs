using System.Diagnostics;
using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Sections;

namespace InfraDiff.IntegrationTests.Monitoring;

/// <summary>
/// The store's history stays small: a cycle that changed nothing stores no snapshot, only its record. The section
/// comes from a collector of the test's own (a fixed files-like section), so a thousand cycles take seconds;
/// the store, journal and records are the real ones.
/// </summary>
public sealed class StoreHistoryTests : IDisposable
{
    // On tmpfs: the test counts bytes, and a thousand cycles of fsyncs on a disk would take minutes.
    private readonly string work = Directory.CreateDirectory(Path.Join("/dev/shm", $"idt-history-{Guid.NewGuid():N}")).FullName;
    private readonly StoreKey key = StoreKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public void Dispose() => Directory.Delete(work, recursive: true);

    /// <summary>A files section of <paramref name="count"/> entries shaped like the real one; <see cref="Changed"/> alters one.</summary>
    private sealed class FixedFilesCollector(int count) : ICollector
    {
        private readonly JsonElement same = Section(count, changed: false);
        private readonly JsonElement changed = Section(count, changed: true);

        public bool Changed { get; set; }

        public string Name => "files";

        public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default) => Task.FromResult<object>(Changed ? changed : same);

        private static JsonElement Section(int count, bool changed)
        {
            var files = new SortedDictionary<string, object>(StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i + (changed && i == 7 ? 1_000_000 : 0))));
                files[$"/usr/share/doc/package-{i / 20:D5}/file-{i % 20:D2}"] = new { type = "file", mode = "0644", uid = 0, owner = "root", gid = 0, group = "root", size = 1000 + i, sha256 = sha };
            }

            return JsonSerializer.SerializeToElement(files);
        }
    }

    private static long Bytes(IEnumerable<string> files) => files.Sum(f => new FileInfo(f).Length);

    [Fact]
    public async Task A_thousand_unchanged_cycles_keep_one_snapshot_and_a_small_record_each()
    {
        // bench/store/run.sh sets a host-sized section (70,000 entries); the suite keeps it small to stay fast.
        var entries = int.TryParse(Environment.GetEnvironmentVariable("INFRADIFF_BENCH_HISTORY_ENTRIES"), out var n) ? n : 1_000;
        var collector = new FixedFilesCollector(entries);
        var store = Path.Join(work, "store");
        var monitor = new DriftMonitor(
            new Snapshotter([collector]),
            new DriftMonitorOptions { Directory = store, Snapshot = new SnapshotOptions { Only = ["files"] }, Heartbeat = TimeSpan.Zero, StoreKey = key },
            [new FileAlertSink(Path.Join(work, "alerts.jsonl"))]);
        var watch = Stopwatch.StartNew();

        for (var cycle = 0; cycle < 1_000; cycle++)
        {
            await monitor.RunCycleAsync();
        }

        collector.Changed = true;
        var drift = await monitor.RunCycleAsync();

        var snapshots = monitor.Store.Snapshots();
        var snapshotBytes = new FileInfo(snapshots[0]).Length;
        var records = monitor.Store.CycleFiles();
        var recordBytes = Bytes(records);
        var journalBytes = new FileInfo(Path.Join(store, "journal.jsonl")).Length;
        Console.WriteLine(
            $"1,000 unchanged cycles + 1 drift of a {entries:N0}-entry files section in {watch.Elapsed.TotalSeconds:0.0} s: {snapshots.Count} snapshots of {snapshotBytes:N0} bytes, "
            + $"{records.Count:N0} records {recordBytes:N0} bytes ({recordBytes / records.Count:N0} each), journal {journalBytes:N0} bytes");
        Assert.True(drift.Alerted);
        Assert.Equal(2, snapshots.Count);
        Assert.Equal(1_001, records.Count);
        Assert.True(Bytes(snapshots) <= 2 * snapshotBytes + 1_000, "two snapshots' worth");
        Assert.True(recordBytes / records.Count < 1_000, $"{recordBytes / records.Count} bytes a record");

        using var last = JsonDocument.Parse(await File.ReadAllBytesAsync(records[^1]));
        Assert.True(last.RootElement.GetProperty("stored").GetBoolean());
        Assert.Equal("/files/~1usr~1share~1doc~1package-00000~1file-07", last.RootElement.GetProperty("report").GetProperty("changes")[0].GetProperty("path").GetString());
        using var quiet = JsonDocument.Parse(await File.ReadAllBytesAsync(records[^2]));
        Assert.False(quiet.RootElement.GetProperty("stored").GetBoolean());
        Assert.Equal(Path.GetFileName(snapshots[0]), quiet.RootElement.GetProperty("snapshot").GetString());
        Assert.False(quiet.RootElement.TryGetProperty("report", out _));
        Assert.Empty(StoreVerifier.Verify(store, key, out _));
    }

    [Fact]
    public async Task Records_beyond_keep_reports_are_pruned_and_the_history_command_lists_the_rest()
    {
        var store = Path.Join(work, "store");
        var monitor = new DriftMonitor(
            new Snapshotter([new FixedFilesCollector(10)]),
            new DriftMonitorOptions { Directory = store, Snapshot = new SnapshotOptions { Only = ["files"] }, Heartbeat = TimeSpan.Zero, KeepReports = 3, StoreKey = key },
            [new FileAlertSink(Path.Join(work, "alerts.jsonl"))]);
        for (var cycle = 0; cycle < 5; cycle++)
        {
            await monitor.RunCycleAsync();
        }

        var history = await Scenarios.Infradiff.RunAsync(Path.Join(work, "cache"), "history", "--dir", store);

        Assert.Equal(3, monitor.Store.CycleFiles().Count);
        Assert.Equal(0, history.ExitCode);
        var lines = history.StandardOutput.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  \d+\.\d s  no drift; unchanged \(snapshot-\d{8}T\d{6}\.\d{3}Z\.json\)$", l));
    }
}
