using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Sections;

/// <summary>
/// dpkg's file index cached by the database's state, on a copy of a Debian root given one more package the way dpkg
/// lays it out (a stanza in status, info/P.list, info/P.md5sums).
/// </summary>
public sealed class PackageIndexCacheTests : IDisposable
{
    private readonly FixtureRoot root = new();
    private readonly string cache = Directory.CreateTempSubdirectory("infradiff-cache-").FullName;

    public PackageIndexCacheTests()
    {
        root.Write("/usr/bin/tool", "v1\n");
        root.Write("/var/lib/dpkg/info/tool.list", "/.\n/usr\n/usr/bin\n/usr/bin/tool\n");
        WriteDigest("v1\n");
        File.AppendAllText(root.Host("/var/lib/dpkg/status"), "\nPackage: tool\nStatus: install ok installed\nVersion: 1\n");
    }

    public void Dispose()
    {
        root.Dispose();
        Directory.Delete(cache, recursive: true);
    }

    /// <summary>Rewrites the recorded digest in place, as no dpkg operation does: the folder and status keep their stat fields.</summary>
    private void WriteDigest(string content) =>
        File.WriteAllText(root.Host("/var/lib/dpkg/info/tool.md5sums"), $"{Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(content)))}  usr/bin/tool\n");

    /// <summary>What dpkg does to status on any change: a new file renamed over the old one.</summary>
    private void ReplaceStatus()
    {
        var status = root.Host("/var/lib/dpkg/status");
        File.Copy(status, status + "-new");
        File.Move(status + "-new", status, overwrite: true);
    }

    private async Task<JsonElement> ToolAsync()
    {
        var options = new FilesCollectorOptions { Roots = ["/usr/bin"], CacheDirectory = cache };
        var snapshot = await new Snapshotter(BuiltInSections.CreateCollectors(files: options)).TakeAsync(new SnapshotOptions { Root = root.Path, Only = ["files"] });
        return Fixtures.At(Fixtures.Section(snapshot, "files"), "/usr/bin/tool");
    }

    [Fact]
    public async Task The_index_is_reused_while_dpkg_has_not_changed_and_read_again_once_it_has()
    {
        Assert.True((await ToolAsync()).GetProperty("verified").GetBoolean());
        var cacheFile = Assert.Single(Directory.GetFiles(cache, "packages-*.cache"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cacheFile));

        WriteDigest("something else\n");
        var reused = await ToolAsync();
        ReplaceStatus();
        var reread = await ToolAsync();

        Assert.Equal("tool", reused.GetProperty("package").GetString());
        Assert.True(reused.GetProperty("verified").GetBoolean());
        Assert.False(reread.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task An_index_cache_that_fails_its_authentication_is_discarded_and_the_database_read()
    {
        await ToolAsync();
        var cacheFile = Assert.Single(Directory.GetFiles(cache, "packages-*.cache"));
        var bytes = File.ReadAllBytes(cacheFile);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(cacheFile, bytes);
        WriteDigest("something else\n");

        Assert.False((await ToolAsync()).GetProperty("verified").GetBoolean());
    }
}
