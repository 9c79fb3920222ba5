using System.Text.Json;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Sections;

/// <summary>
/// The live host, snapshotted twice. Other tests in this assembly change it (one mounts a tmpfs), so this
/// collection runs alone, after the parallel ones.
/// </summary>
[Collection(Name)]
public sealed class LiveHostTests
{
    public const string Name = "live host";

    [Fact]
    public async Task Two_snapshots_of_an_unchanged_live_host_are_identical_outside_metadata()
    {
        var cache = Directory.CreateTempSubdirectory("infradiff-cache-").FullName;
        // The default roots hold 13 GB of toolchains on a build machine (/root, /usr, /opt); these keep the test about the contract.
        var files = new FilesCollectorOptions { CacheDirectory = cache, Roots = ["/etc", "/usr/bin", "/usr/sbin", "/boot", "/srv", "/var/spool/cron"] };
        var snapshotter = new Snapshotter(BuiltInSections.CreateCollectors(files: files));

        var first = await snapshotter.TakeAsync(new SnapshotOptions());
        var second = await snapshotter.TakeAsync(new SnapshotOptions());

        Directory.Delete(cache, recursive: true);
        Assert.Equal(["config", "files", "network", "os", "packages", "scheduled", "services", "users"], first.Sections.Keys.Where(k => k != "docker").Order(StringComparer.Ordinal));
        Assert.Equal(Fixtures.SectionsText(first), Fixtures.SectionsText(second));
        Assert.True(Fixtures.At(first.Sections["packages"]).EnumerateObject().Any(), "the live host has packages");
        _ = JsonDocument.Parse(SnapshotJson.ToCanonicalBytes(first));
    }
}

[CollectionDefinition(LiveHostTests.Name, DisableParallelization = true)]
public sealed class LiveHostCollection;
