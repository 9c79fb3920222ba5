using System.Diagnostics;
using System.Security.Cryptography;
using InfraDiff.Host;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Sections;

/// <summary>What a scan may take from the host: its read rate, its threads and its heap, on a real tree.</summary>
public sealed class ResourceCapsTests : IDisposable
{
    private readonly string tree = Directory.CreateTempSubdirectory("infradiff-caps-").FullName;

    public ResourceCapsTests()
    {
        // 24 MiB in 48 files of 512 KiB: hashed in well under a second without a cap.
        for (var i = 0; i < 48; i++)
        {
            File.WriteAllBytes(Path.Join(tree, $"blob{i:D2}"), RandomNumberGenerator.GetBytes(512 << 10));
        }
    }

    public void Dispose() => Directory.Delete(tree, recursive: true);

    private async Task<(Snapshot Snapshot, TimeSpan Took)> ScanAsync(long? rate, int? threads)
    {
        var options = new FilesCollectorOptions { Roots = [tree], UseCache = false, VerifyPackages = false, MaxReadRate = rate, Threads = threads };
        var clock = Stopwatch.StartNew();
        var snapshot = await new Snapshotter(BuiltInSections.CreateCollectors(files: options)).TakeAsync(new SnapshotOptions { Only = ["files"] });
        return (snapshot, clock.Elapsed);
    }

    [Fact]
    public async Task A_read_rate_paces_hashing_to_no_faster_than_it_and_the_hashes_stay_those_of_an_unpaced_scan()
    {
        var (paced, took) = await ScanAsync(rate: 8 << 20, threads: 2);
        var (free, _) = await ScanAsync(rate: null, threads: 1);

        // 24 MiB at 8 MiB a second, a quarter of a second read ahead: at least 2.75 s (an upper bound is the bench's).
        Assert.True(took >= TimeSpan.FromSeconds(2.75), $"24 MiB read at 8 MiB/s in {took.TotalSeconds:0.00} s");
        Assert.Equal(Fixtures.SectionsText(free), Fixtures.SectionsText(paced));
    }

    [Fact]
    public void A_heap_limit_is_what_the_gc_then_keeps_to()
    {
        // Below what the GC allows now (this machine's memory) and far above what the tests use.
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3;

        new ResourceCaps { MaxMemory = limit }.Apply();

        Assert.Equal(limit, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }

    [Theory]
    [InlineData(512L << 10, null, "FilesCollectorOptions.MaxReadRate: must be at least 1M a second, not 524288 bytes")]
    [InlineData(null, 0, "FilesCollectorOptions.Threads: must be from 1 to 256, not 0")]
    public void Caps_out_of_range_are_refused_naming_the_option(long? rate, int? threads, string message)
    {
        var problem = Assert.Throws<InvalidOptionException>(() => new FilesCollectorOptions { MaxReadRate = rate, Threads = threads }.Validate());

        Assert.Equal(message, problem.Message);
    }
}
