using InfraDiff.Diffing;
using InfraDiff.Host;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Sections;

/// <summary>The files collector over a real temporary tree, changed the way an operator or an intruder would.</summary>
public sealed class FilesCollectorTests : IDisposable
{
    private readonly string tree = Directory.CreateTempSubdirectory("infradiff-tree-").FullName;
    private readonly string cache = Directory.CreateTempSubdirectory("infradiff-cache-").FullName;

    public FilesCollectorTests()
    {
        Directory.CreateDirectory(Path.Join(tree, "etc"));
        File.WriteAllText(Path.Join(tree, "etc", "sshd_config"), "PermitRootLogin no\n");
        File.WriteAllText(Path.Join(tree, "etc", "hosts"), "127.0.0.1 localhost\n");
        File.WriteAllText(Path.Join(tree, "tool"), "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(Path.Join(tree, "tool"), (UnixFileMode)Convert.ToInt32("755", 8));
        File.CreateSymbolicLink(Path.Join(tree, "current"), "etc/hosts");
    }

    public void Dispose()
    {
        // rm, not Directory.Delete: .NET cannot name a file whose name is not UTF-8.
        Fixtures.RunTool("rm", "-rf", tree);
        Directory.Delete(cache, recursive: true);
    }

    private async Task<Snapshot> SnapshotAsync(bool useCache = true, IReadOnlyList<string>? excludes = null, bool cross = false)
    {
        var options = new FilesCollectorOptions { Roots = [tree], CacheDirectory = cache, UseCache = useCache, Excludes = excludes ?? [], CrossFilesystems = cross };
        return await new Snapshotter(BuiltInSections.CreateCollectors(files: options)).TakeAsync(new SnapshotOptions { Only = ["files"] });
    }

    private string Key(string relative) => JsonPointer.Append("/files", Path.Join(tree, relative));

    private static List<string> Changes(Snapshot before, Snapshot after) =>
        SnapshotDiffer.Compare(before, after).Changes.Select(c => $"{c.Kind} {c.Path}").ToList();

    [Fact]
    public async Task A_cache_forged_to_keep_an_old_hash_is_refused_without_the_key()
    {
        var path = Path.Join(tree, "etc", "sshd_config");
        var before = await SnapshotAsync();
        var cacheFile = Assert.Single(Directory.GetFiles(cache, "files-*.cache"));
        var oldStatus = FileStatus.LStat(path)!.Value;
        var oldHash = Convert.FromHexString(Fixtures.Section(before, "files").GetProperty(path).GetProperty("sha256").GetString()!);

        // The intruder changes the file, then writes a cache whose entry pairs the new stat data with the old hash,
        // complete with an authentication trailer, but under a key of their own: they cannot read the real one.
        File.WriteAllText(path, "PermitRootLogin yes\n");
        var forgery = Directory.CreateTempSubdirectory("infradiff-forged-").FullName;
        var forged = StatCache.Empty();
        forged.Add(path, FileStatus.LStat(path)!.Value, new Digests(oldHash, null));
        await forged.SaveAsync(Path.Join(forgery, Path.GetFileName(cacheFile)), tree, CancellationToken.None);
        File.Copy(Path.Join(forgery, Path.GetFileName(cacheFile)), cacheFile, overwrite: true);
        Directory.Delete(forgery, recursive: true);

        var after = await SnapshotAsync();

        Assert.NotEqual(oldStatus, FileStatus.LStat(path)!.Value);
        Assert.Contains($"Replace {Key("etc/sshd_config")}", Changes(before, after));
    }

    [Fact]
    public async Task Records_type_mode_owner_size_hash_and_link_target()
    {
        var files = Fixtures.Section(await SnapshotAsync(), "files");

        var tool = Fixtures.At(files, Path.Join(tree, "tool"));
        Assert.Equal("file", tool.GetProperty("type").GetString());
        Assert.Equal("0755", tool.GetProperty("mode").GetString());
        Assert.Equal("root", tool.GetProperty("owner").GetString());
        Assert.Equal(18, tool.GetProperty("size").GetInt64());
        Assert.Equal(Fixtures.RunTool("sha256sum", Path.Join(tree, "tool")).Split(' ')[0], tool.GetProperty("sha256").GetString());
        var link = Fixtures.At(files, Path.Join(tree, "current"));
        Assert.Equal("symlink", link.GetProperty("type").GetString());
        Assert.Equal("etc/hosts", link.GetProperty("target").GetString());
        Assert.False(link.TryGetProperty("sha256", out _));
        Assert.Equal("dir", Fixtures.At(files, Path.Join(tree, "etc"), "type").GetString());
    }

    [Fact]
    public async Task Every_name_is_listed_however_it_is_spelled_as_find_lists_it()
    {
        // Hidden, spaced, multi-line and non-ASCII names, and a directory too large for one read of its entries.
        var crowded = Directory.CreateDirectory(Path.Join(tree, "crowded")).FullName;
        foreach (var name in new[] { ".cache-update", "with space", "two\nlines", "ünïcödé", "-dash" })
        {
            File.WriteAllText(Path.Join(tree, name), name);
        }

        for (var i = 0; i < 3000; i++)
        {
            File.WriteAllText(Path.Join(crowded, $"file-with-a-longish-name-{i:D5}"), "");
        }

        var files = Fixtures.Section(await SnapshotAsync(), "files");

        var listed = Fixtures.RunTool("find", tree, "-print0").Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
        Assert.Equal(listed, files.EnumerateObject().Select(p => p.Name));
        Assert.Equal("file", Fixtures.At(files, Path.Join(tree, "two\nlines"), "type").GetString());
    }

    [Fact]
    public async Task A_name_that_is_not_utf8_is_kept_as_its_own_key_and_a_setuid_one_is_critical()
    {
        // Latin-1, an overlong NUL, two names one byte apart, a directory of such a name, a literal "\xFE" and a backslash.
        byte[][] names = [[(byte)'f', 0xFE], [(byte)'c', (byte)'a', (byte)'f', 0xE9], [(byte)'n', 0xC0, 0x80], [(byte)'t', 0xFE], [(byte)'t', 0xFD], .. new[] { "lit\\xFE", "back\\slash" }.Select(System.Text.Encoding.UTF8.GetBytes)];
        RawNames.Run("touch", names.Select(n => RawNames.Join(tree, n)));
        RawNames.Run("mkdir", [RawNames.Join(tree, (byte)'d', 0xFF)]);
        RawNames.Run("touch", [RawNames.Join(tree, [(byte)'d', 0xFF, (byte)'/', (byte)'i'])]);
        var before = await SnapshotAsync();

        RawNames.Run("chmod", [RawNames.Join(tree, (byte)'f', 0xFE)], "4755");
        var after = await SnapshotAsync();

        var keys = Fixtures.Section(after, "files").EnumerateObject().Select(p => p.Name).ToList();
        var found = RawNames.Find(tree).Select(b => HostPath.FromBytes(b)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(found, keys);
        Assert.Contains(tree + @"/f\xFE", keys);
        Assert.Contains(tree + @"/lit\\xFE", keys);
        Assert.Contains(tree + @"/d\xFF/i", keys);
        var setuid = Assert.Single(SnapshotDiffer.Compare(before, after).Changes);
        Assert.Equal((Key(@"f\xFE") + "/mode", Severity.Critical), (setuid.Path, setuid.Severity));
    }

    [Fact]
    public async Task Roots_and_excludes_take_names_as_keys_write_them_or_as_typed()
    {
        RawNames.Run("mkdir", [RawNames.Join(tree, (byte)'d', 0xFF), RawNames.Join(tree, "back\\slash"u8.ToArray())]);
        RawNames.Run("touch", [RawNames.Join(tree, [(byte)'d', 0xFF, (byte)'/', (byte)'i']), RawNames.Join(tree, [(byte)'d', 0xFF, (byte)'/', (byte)'j']), RawNames.Join(tree, "back\\slash/k"u8.ToArray())]);
        // The raw directory as its key writes it; the backslashed one as typed by hand, and as its key writes it.
        var options = new FilesCollectorOptions { Roots = [tree + @"/d\xFF", tree + @"/back\slash"], Excludes = [tree + @"/d\xFF/j", tree + @"/back\\slash/k"], CacheDirectory = cache };

        var snapshot = await new Snapshotter(BuiltInSections.CreateCollectors(files: options)).TakeAsync(new SnapshotOptions { Only = ["files"] });

        Assert.Equal([tree + @"/back\\slash", tree + @"/d\xFF", tree + @"/d\xFF/i"], Fixtures.Section(snapshot, "files").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Add_remove_modify_chmod_chown_retarget_and_setuid_each_appear_as_their_own_change()
    {
        var before = await SnapshotAsync();
        File.WriteAllText(Path.Join(tree, "etc", "new.conf"), "x\n");
        File.Delete(Path.Join(tree, "etc", "hosts"));
        File.AppendAllText(Path.Join(tree, "etc", "sshd_config"), "PermitRootLogin yes\n");
        Fixtures.RunTool("chown", "65534:65534", Path.Join(tree, "etc"));
        File.Delete(Path.Join(tree, "current"));
        File.CreateSymbolicLink(Path.Join(tree, "current"), "etc/sshd_config");
        File.SetUnixFileMode(Path.Join(tree, "tool"), (UnixFileMode)Convert.ToInt32("4755", 8));

        var after = await SnapshotAsync();
        var report = SnapshotDiffer.Compare(before, after);

        Assert.Equal(
            new[]
            {
                $"Replace {Key("current")}/target",
                $"Replace {Key("etc")}/gid",
                $"Replace {Key("etc")}/group",
                $"Replace {Key("etc")}/owner",
                $"Replace {Key("etc")}/uid",
                $"Remove {Key("etc/hosts")}",
                $"Add {Key("etc/new.conf")}",
                $"Replace {Key("etc/sshd_config")}",
                $"Replace {Key("tool")}/mode",
            }.Order(StringComparer.Ordinal),
            Changes(before, after).Order(StringComparer.Ordinal));
        Assert.Equal(Severity.Critical, report.Changes.Single(c => c.Path.EndsWith("/mode", StringComparison.Ordinal)).Severity);
        var size = new FileInfo(Path.Join(tree, "etc", "sshd_config")).Length;
        Assert.Contains(report.Changes, c => c.Summary == $"file {Path.Join(tree, "etc/sshd_config")}: content changed, {size - 20:N0} → {size:N0} bytes");
    }

    [Fact]
    public async Task A_rewrite_that_restores_the_old_mtime_is_still_caught_with_the_cache()
    {
        var path = Path.Join(tree, "etc", "sshd_config");
        var before = await SnapshotAsync();
        var mtime = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "PermitRootLogin NO\n"); // same size, old mtime restored: only ctime tells
        Fixtures.RunTool("touch", "-d", mtime.ToString("o"), path);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(path));

        var after = await SnapshotAsync();

        Assert.Equal([$"Replace {Key("etc/sshd_config")}"], Changes(before, after));
    }

    [Fact]
    public async Task The_cache_is_written_owner_only_and_reused_for_unchanged_files()
    {
        var first = await SnapshotAsync();
        var second = await SnapshotAsync();

        var cacheFile = Assert.Single(Directory.GetFiles(cache, "files-*.cache"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cacheFile));
        Assert.Empty(Changes(first, second));
    }

    [Fact]
    public async Task An_unchanged_cache_is_not_rewritten_and_a_vanished_file_leaves_it()
    {
        await SnapshotAsync();
        var cacheFile = Assert.Single(Directory.GetFiles(cache, "files-*.cache"));
        var inode = Fixtures.RunTool("stat", "-c", "%i", cacheFile);

        await SnapshotAsync();
        var unchanged = Fixtures.RunTool("stat", "-c", "%i", cacheFile);
        File.Delete(Path.Join(tree, "etc", "hosts"));
        await SnapshotAsync();
        var pruned = Fixtures.RunTool("stat", "-c", "%i", cacheFile);

        // Atomic writes replace the file, so a rewrite shows as a new inode.
        Assert.Equal(inode, unchanged);
        Assert.NotEqual(inode, pruned);
    }

    [Fact]
    public async Task A_corrupt_cache_is_discarded_and_every_file_hashed_again()
    {
        var before = await SnapshotAsync();
        var cacheFile = Assert.Single(Directory.GetFiles(cache, "files-*.cache"));
        var bytes = File.ReadAllBytes(cacheFile);
        bytes[^40] ^= 0xFF;
        File.WriteAllBytes(cacheFile, bytes);
        File.WriteAllText(Path.Join(tree, "etc", "hosts"), "127.0.0.1 evil\n");

        var after = await SnapshotAsync();

        Assert.Contains($"Replace {Key("etc/hosts")}", Changes(before, after));
        Assert.NotEqual(bytes, File.ReadAllBytes(cacheFile));
    }

    [Fact]
    public async Task No_cache_hashes_everything_and_writes_no_cache()
    {
        var snapshot = await SnapshotAsync(useCache: false);

        Assert.Empty(Directory.GetFiles(cache, "files-*.cache"));
        Assert.True(Fixtures.At(Fixtures.Section(snapshot, "files"), Path.Join(tree, "tool")).TryGetProperty("sha256", out _));
    }

    [Fact]
    public async Task Excludes_leave_out_a_path_and_everything_beneath_it()
    {
        var files = Fixtures.Section(await SnapshotAsync(excludes: [Path.Join(tree, "etc"), "/**/tool"]), "files");

        Assert.False(files.TryGetProperty(Path.Join(tree, "etc", "hosts"), out _));
        Assert.False(files.TryGetProperty(Path.Join(tree, "etc"), out _));
        Assert.False(files.TryGetProperty(Path.Join(tree, "tool"), out _));
        Assert.True(files.TryGetProperty(Path.Join(tree, "current"), out _));
    }

    [Fact]
    public async Task A_fifo_is_recorded_without_being_opened()
    {
        Fixtures.RunTool("mkfifo", Path.Join(tree, "pipe"));

        var files = Fixtures.Section(await SnapshotAsync(), "files");

        Assert.Equal("other", Fixtures.At(files, Path.Join(tree, "pipe"), "type").GetString());
    }

    [Fact]
    public async Task A_file_swapped_for_a_fifo_or_a_symlink_after_lstat_is_neither_waited_on_nor_followed()
    {
        Fixtures.RunTool("mkfifo", Path.Join(tree, "pipe"));
        File.CreateSymbolicLink(Path.Join(tree, "link"), Path.Join(tree, "etc"));

        // Opening a FIFO for reading blocks until a writer comes, unless opened non-blocking.
        var open = Task.Run(() => Assert.Throws<FileNotFoundException>(() => FileStatus.OpenForReading(Path.Join(tree, "pipe"))));

        await open.WaitAsync(TimeSpan.FromSeconds(5)); // throws TimeoutException when the open blocks
        Assert.Throws<FileNotFoundException>(() => FileStatus.OpenForReading(Path.Join(tree, "link")));
    }

    [Fact]
    public async Task Stays_on_the_root_filesystem_unless_asked_to_cross_mounts()
    {
        var mountPoint = Path.Join(tree, "mnt");
        Directory.CreateDirectory(mountPoint);
        Fixtures.RunTool("mount", "-t", "tmpfs", "-o", "size=1m", "infradiff-test", mountPoint);
        try
        {
            File.WriteAllText(Path.Join(mountPoint, "inside"), "on another filesystem\n");

            var stay = Fixtures.Section(await SnapshotAsync(), "files");
            var cross = Fixtures.Section(await SnapshotAsync(cross: true), "files");

            Assert.True(stay.TryGetProperty(mountPoint, out _));
            Assert.False(stay.TryGetProperty(Path.Join(mountPoint, "inside"), out _));
            Assert.True(cross.TryGetProperty(Path.Join(mountPoint, "inside"), out _));
        }
        finally
        {
            Fixtures.RunTool("umount", mountPoint);
        }
    }
}
