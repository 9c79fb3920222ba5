using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InfraDiff.Alerting;
using InfraDiff.Monitoring;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;

namespace InfraDiff.Tests.Monitoring;

/// <summary>
/// A store that grows by what changed: real cycles of a monitor over a real tree of 12,000 files (a files section of
/// 3.5 MB), stored as chunks and manifests, read back byte for byte, pruned, tampered with and left half-written.
/// </summary>
public sealed class ChunkedStoreTests : IDisposable
{
    private const int FileCount = 12_000;

    private readonly string work = Directory.CreateTempSubdirectory("infradiff-chunked-store-").FullName;
    private readonly StoreKey key = StoreKey.FromBytes(RandomNumberGenerator.GetBytes(32));

    public ChunkedStoreTests()
    {
        for (var folder = 0; folder < FileCount / 500; folder++)
        {
            var path = Directory.CreateDirectory(Path.Join(Tree, $"d{folder:D3}")).FullName;
            for (var file = 0; file < 500; file++)
            {
                File.WriteAllText(Path.Join(path, $"f{file:D3}.conf"), $"{folder}/{file}");
            }
        }
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Store => Path.Join(work, "store");

    private string Tree => Path.Join(work, "tree");

    private string Alerts => Path.Join(work, "alerts.jsonl");

    private string Chunks => Path.Join(Store, ChunkedSnapshot.Folder);

    /// <summary>A monitor over the tree, against a baseline (whose chunks its first snapshot shares) unless told otherwise.</summary>
    private DriftMonitor Monitor(int keep, DriftReference against) => new(
        new Snapshotter(BuiltInSections.CreateCollectors(files: new FilesCollectorOptions { Roots = [Tree], UseCache = false })),
        new DriftMonitorOptions { Directory = Store, Snapshot = new SnapshotOptions { Only = ["files"] }, StoreKey = key, Heartbeat = TimeSpan.Zero, Keep = keep, Against = against },
        [new FileAlertSink(Alerts)]);

    /// <summary>A cycle, and the text of the snapshot it took as it was written.</summary>
    private async Task<byte[]> CycleAsync(int keep = 100, DriftReference against = DriftReference.Baseline) =>
        SnapshotJson.CanonicalText((await Monitor(keep, against).RunCycleAsync()).Snapshot).ToArray();

    private List<string> StoreAlerts() => !File.Exists(Alerts) ? [] :
        [.. File.ReadAllLines(Alerts)
            .SelectMany(l => JsonDocument.Parse(l).RootElement.GetProperty("changes").EnumerateArray().Select(c => c.Clone()))
            .Where(c => c.GetProperty("category").GetString() == "store")
            .Select(c => c.GetProperty("summary").GetString()!)];

    private static long SizeOf(string folder) => new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private long SnapshotBytes() => SizeOf(Chunks) + Directory.EnumerateFiles(Store, "*.json").Sum(f => new FileInfo(f).Length);

    /// <summary>What a reader outside the store (<c>infradiff diff</c> on a store file) reads at a path, as text.</summary>
    private static async Task<byte[]> ReadOutsideAsync(string path) => SnapshotJson.CanonicalText(await SnapshotFile.ReadAsync(path)).ToArray();

    private HashSet<string> ChunkFiles() => [.. Directory.EnumerateFiles(Chunks).Select(f => Path.GetFileName(f))];

    [Fact]
    public async Task A_one_file_change_stores_a_few_chunks_and_a_manifest_and_both_snapshots_read_back_byte_identical()
    {
        var first = await CycleAsync();
        var afterFirst = SnapshotBytes();
        File.WriteAllText(Path.Join(Tree, "d020", "f250.conf"), "changed");
        var second = await CycleAsync();
        var grown = SnapshotBytes() - afterFirst;

        Console.WriteLine($"snapshot {first.Length:N0} bytes, store {afterFirst:N0}, grown {grown:N0}");
        Assert.True(first.Length > 3 * ChunkedSnapshot.StoredWholeBelow, $"the test's snapshot is only {first.Length:N0} bytes");
        var snapshots = new SnapshotStore(Store, key).Snapshots();
        Assert.Equal(2, snapshots.Count);
        Assert.All(snapshots.Append(Path.Join(Store, "baseline.json")), s => Assert.True(ChunkedSnapshot.IsManifest(File.ReadAllBytes(s)), s));

        // The baseline shares the first snapshot's chunks, deflated; the second adds what changed: the chunk of the
        // metadata (its time), the chunk of the entry, perhaps its neighbour, and a manifest — not a copy.
        Assert.True(afterFirst < first.Length / 2, $"a {first.Length:N0}-byte snapshot and its baseline take {afterFirst:N0} bytes");
        Assert.True(grown < 3 * ChunkedSnapshot.MaxChunk / 2, $"a one-file change grew the store by {grown:N0} bytes");
        Assert.Equal(first, await ReadOutsideAsync(snapshots[0]));
        Assert.Equal(second, await ReadOutsideAsync(snapshots[1]));
        Assert.Equal(first, await ReadOutsideAsync(Path.Join(Store, "baseline.json")));
        Assert.Equal(second, SnapshotJson.CanonicalText((await new SnapshotStore(Store, key).LatestAsync())!).ToArray());
        Assert.Empty(StoreVerifier.Verify(Store, key, out _));
    }

    [Fact]
    public async Task Pruning_frees_exactly_the_chunks_no_snapshot_left_names_and_what_is_kept_reads_byte_identical()
    {
        var texts = new List<byte[]>();
        for (var i = 0; i < 5; i++)
        {
            File.WriteAllText(Path.Join(Tree, $"d{i * 5:D3}", "f100.conf"), $"change {i}");
            texts.Add(await CycleAsync(keep: 2));
        }

        var store = new SnapshotStore(Store, key);
        var kept = store.Snapshots();
        Assert.Equal(2, kept.Count);
        var named = kept.Append(store.BaselinePath)
            .SelectMany(p => ChunkedSnapshot.Parse(File.ReadAllBytes(p), out _)!.Chunks)
            .Select(c => Path.GetFileName(ChunkedSnapshot.FileOf(c)))
            .ToHashSet();
        Assert.Equal(named, ChunkFiles());
        Assert.Equal(texts[^2], await ReadOutsideAsync(kept[0]));
        Assert.Equal(texts[^1], await ReadOutsideAsync(kept[1]));
        Assert.Empty(StoreVerifier.Verify(Store, key, out _));
    }

    [Fact]
    public async Task An_edited_chunk_is_refused_quarantined_with_its_snapshot_alerted_and_named_by_verify()
    {
        // Against the previous snapshot: each cycle reads the latest back.
        await CycleAsync(against: DriftReference.Previous);
        File.WriteAllText(Path.Join(Tree, "d001", "f001.conf"), "changed");
        await CycleAsync(against: DriftReference.Previous);
        var store = new SnapshotStore(Store, key);
        var latest = store.Snapshots()[^1];
        var manifest = ChunkedSnapshot.Parse(File.ReadAllBytes(latest), out _)!;
        var olderChunks = ChunkedSnapshot.Parse(File.ReadAllBytes(store.Snapshots()[0]), out _)!.Chunks;
        var edited = manifest.Chunks.First(c => !olderChunks.Contains(c));
        var chunkPath = Path.Join(Store, ChunkedSnapshot.FileOf(edited));
        var bytes = File.ReadAllBytes(chunkPath);
        bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(chunkPath, bytes);

        Assert.Contains(StoreVerifier.Verify(Store, key, out _), p => p == $"{ChunkedSnapshot.FileOf(edited)}: its content is not what its name is the hash of (edited)");
        var outside = await Assert.ThrowsAsync<InvalidSnapshotException>(() => SnapshotFile.ReadAsync(latest));
        Assert.Contains($"its chunk {ChunkedSnapshot.FileOf(edited)} does not hold the bytes its name is the hash of (edited)", outside.Message, StringComparison.Ordinal);

        // The next cycle: the chunk and the snapshot naming it are quarantined and alerted; the older snapshot serves.
        var third = await CycleAsync(against: DriftReference.Previous);
        var alerts = StoreAlerts();
        Assert.Contains(alerts, a => a.Contains(ChunkedSnapshot.FileOf(edited), StringComparison.Ordinal) && a.Contains("tampered", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Contains(Path.GetFileName(latest), StringComparison.Ordinal) && a.Contains("cannot be read whole", StringComparison.Ordinal));
        Assert.False(File.Exists(latest));
        Assert.Equal(third, await ReadOutsideAsync(new SnapshotStore(Store, key).Snapshots()[^1]));
        Assert.Empty(StoreVerifier.Verify(Store, key, out _));
    }

    [Fact]
    public async Task A_crash_between_chunks_and_manifest_leaves_the_previous_state_intact_and_the_next_prune_frees_the_orphans()
    {
        var first = await CycleAsync();
        var before = ChunkFiles();

        // What a writer killed after its chunks and before its manifest leaves: chunks nothing names, and a half-written one.
        var orphan = RandomNumberGenerator.GetBytes(ChunkedSnapshot.MinChunk);
        var orphanName = $"{Convert.ToHexStringLower(SHA256.HashData(orphan))}.chunk";
        File.WriteAllBytes(Path.Join(Chunks, orphanName), ChunkedSnapshot.Pack(orphan));
        File.WriteAllBytes(Path.Join(Chunks, $".{orphanName}.4242.0123.tmp"), orphan[..100]);

        Assert.Empty(StoreVerifier.Verify(Store, key, out _));
        Assert.Equal(first, await ReadOutsideAsync(new SnapshotStore(Store, key).Snapshots()[^1]));
        await CycleAsync();

        Assert.Empty(StoreAlerts());
        Assert.Equal(before, ChunkFiles());
    }

    [Fact]
    public async Task A_stray_in_the_chunks_folder_is_quarantined_and_a_link_with_a_chunks_name_is_never_followed()
    {
        await CycleAsync();
        var outside = Path.Join(work, "outside.txt");
        File.WriteAllText(outside, "secret");
        var target = ChunkFiles().First();
        File.Delete(Path.Join(Chunks, target));
        File.CreateSymbolicLink(Path.Join(Chunks, target), outside);
        File.WriteAllText(Path.Join(Chunks, "notes.txt"), "x");

        Assert.Contains(StoreVerifier.Verify(Store, key, out _), p => p.StartsWith($"{ChunkedSnapshot.Folder}/notes.txt: not a file the store writes", StringComparison.Ordinal));
        await CycleAsync();

        var alerts = StoreAlerts();
        Assert.Contains(alerts, a => a.Contains($"{ChunkedSnapshot.Folder}/notes.txt", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Contains($"{ChunkedSnapshot.Folder}/{target}", StringComparison.Ordinal) && a.Contains("symlink", StringComparison.Ordinal));
        Assert.Equal("secret", File.ReadAllText(outside));
        Assert.False(File.Exists(Path.Join(Chunks, "notes.txt")));
    }
}

/// <summary>How a text is cut into chunks, and what a manifest must be to be read as one.</summary>
public sealed class ChunkedSnapshotTests
{
    [Fact]
    public void Content_defined_cuts_resynchronise_after_an_insertion_so_only_the_chunks_around_it_change()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 60_000).Select(i => $"    \"/etc/file-{i}\": {{ \"sha256\": \"{Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))}\" }},\n")));
        var changed = text[..(text.Length / 2)].Concat("    \"/etc/inserted\": { \"mode\": \"0644\" },\n"u8.ToArray()).Concat(text[(text.Length / 2)..]).ToArray();
        var sizes = new List<int>();
        var cut = ChunkedSnapshot.Cut(text, (_, chunk) => sizes.Add(chunk.Length));
        var recut = ChunkedSnapshot.Cut(changed, (_, _) => { });

        Assert.Equal(text.Length, sizes.Sum());
        Assert.All(sizes.SkipLast(1), s => Assert.InRange(s, ChunkedSnapshot.MinChunk, ChunkedSnapshot.MaxChunk));
        Assert.InRange(recut.Chunks.Except(cut.Chunks).Count(), 1, 2);
        Assert.True(cut.Chunks.Count > 20, $"{cut.Chunks.Count} chunks");
        var read = recut.Assemble(name => null, out var problem, out _);
        Assert.Null(read);
        Assert.StartsWith("its chunk chunks/", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"chunkedSnapshot\":1,\"length\":10,\"sha256\":\"00\",\"chunks\":[]}")]
    [InlineData("{\"chunkedSnapshot\":1,\"length\":3000000,\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"chunks\":[\"0000000000000000000000000000000000000000000000000000000000000000\"]}")]
    [InlineData("{\"chunkedSnapshot\":1,\"length\":1,\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"chunks\":[\"../../etc/passwd\"]}")]
    [InlineData("{\"chunkedSnapshot\":1,\"length\":1,")]
    public void A_forged_manifest_is_no_manifest(string text)
    {
        Assert.Null(ChunkedSnapshot.Parse(Encoding.UTF8.GetBytes(text), out var problem));
        Assert.Equal("not a chunked snapshot's manifest", problem);
    }
}
