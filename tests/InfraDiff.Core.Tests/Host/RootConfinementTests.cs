using System.Text;
using InfraDiff.Host;
using InfraDiff.Pipeline;
using InfraDiff.Snapshots;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Host;

/// <summary>
/// A --root tree is untrusted: every path is resolved inside it as chroot would, whatever its symlinks say
/// (absolute, "..", loops), and nothing but regular files is read. A canary outside the root must never appear.
/// </summary>
public sealed class RootConfinementTests : IDisposable
{
    private const string Canary = "INFRADIFF_OUTSIDE_CANARY_7d3e";

    private readonly string outside = Directory.CreateTempSubdirectory("infradiff-outside-").FullName;
    private readonly FixtureRoot root = new();

    public RootConfinementTests()
    {
        File.WriteAllText(Path.Join(outside, "secret"), $"{Canary}\nroot:$6$hash:19000:0:99999:7:::\n");
        File.WriteAllText(Path.Join(outside, "extra"), $"{Canary} ALL=(ALL) NOPASSWD: ALL\n");
    }

    public void Dispose()
    {
        root.Dispose();
        Directory.Delete(outside, recursive: true);
    }

    /// <summary>The files collectors read, each replaced by a link that points out of the root.</summary>
    public static TheoryData<string> Links => new() { "absolute", "dotdot" };

    [Theory]
    [MemberData(nameof(Links))]
    public async Task Links_out_of_the_root_are_resolved_inside_it_for_every_collector(string kind)
    {
        string Target(string file) => kind == "absolute" ? Path.Join(outside, file) : "../../../../../../../../.." + Path.Join(outside, file);
        foreach (var hostPath in new[] { "/etc/hostname", "/etc/os-release", "/etc/sudoers", "/etc/crontab", "/etc/group", "/var/lib/dpkg/status", "/etc/login.defs", "/etc/resolv.conf", "/etc/hosts" })
        {
            Relink(hostPath, Target("secret"));
        }

        Relink("/etc/sudoers.d", kind == "absolute" ? outside : "../../../../../../../.." + outside);
        Relink("/etc/cron.d", kind == "absolute" ? outside : "../../../../../../../.." + outside);
        root.Write("/etc/ssh/sshd_config", $"Include {outside}/*\nPort 22\n");

        var snapshot = await root.SnapshotAsync("os", "users", "scheduled", "packages", "config", "network");
        var text = Encoding.UTF8.GetString(SnapshotJson.ToCanonicalBytes(snapshot));

        Assert.DoesNotContain(Canary, text, StringComparison.Ordinal);
        Assert.DoesNotContain("$6$hash", text, StringComparison.Ordinal);
        Assert.Equal("unknown", snapshot.Metadata.Host);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_kernel_and_the_walk_resolve_alike(bool kernel)
    {
        Relink("/etc/hostname", Path.Join(outside, "secret"));
        root.Write(Path.Join(outside, "secret"), "inside the root\n");
        Relink("/etc/up", "../../../..");
        Relink("/etc/loop", "/etc/loop");
        Fixtures.RunTool("mkfifo", root.Host("/etc/fifo"));
        var files = new RootedFileSystem(root.Path) { UseKernelResolution = kernel };

        Assert.Equal("inside the root\n", files.ReadTextOrNull("/etc/hostname"));
        Assert.Equal(files.ResolveDirectory("/"), files.ResolveDirectory("/etc/up"));
        Assert.Equal(root.Path, files.ResolveDirectory("/etc/up/.."));
        Assert.Contains("/etc/up/etc/passwd", files.ListFiles("/etc/up/etc"));
        Assert.Contains("too many levels of symbolic links", Assert.Throws<HostFileException>(() => files.ReadTextOrNull("/etc/loop")).Message, StringComparison.Ordinal);
        Assert.Equal("/etc/fifo is a FIFO, not a regular file: not read", Assert.Throws<HostFileException>(() => files.ReadTextOrNull("/etc/fifo")).Message);
        Assert.Null(files.ReadTextOrNull("/etc/nothing-here"));
        Assert.Null(files.ResolveDirectory("/etc/passwd"));
    }

    [Fact]
    public void A_limit_below_a_page_reads_a_small_file_and_refuses_a_larger_one()
    {
        root.Write("/etc/small", "0123456789");
        root.Write("/etc/large", new string('x', 100));
        var files = new RootedFileSystem(root.Path);

        Assert.Equal("0123456789", files.ReadTextOrNull("/etc/small", 64));
        Assert.Equal("/etc/large is larger than 64 bytes: not read", Assert.Throws<HostFileException>(() => files.ReadTextOrNull("/etc/large", 64)).Message);
    }

    [Fact]
    public async Task A_fifo_where_a_user_keeps_authorized_keys_is_a_failed_part_and_never_read()
    {
        root.Write("/etc/passwd", File.ReadAllText(root.Host("/etc/passwd")) + "eve:x:1500:1500::/home/eve:/bin/sh\n");
        Directory.CreateDirectory(root.Host("/home/eve/.ssh"));
        Fixtures.RunTool("mkfifo", root.Host("/home/eve/.ssh/authorized_keys"));

        var snapshot = await root.SnapshotAsync("users").WaitAsync(TimeSpan.FromSeconds(20));

        var report = snapshot.Metadata.Collectors["users"];
        Assert.Equal(CollectorStatus.Ok, report.Status);
        Assert.Equal("/home/eve/.ssh/authorized_keys is a FIFO, not a regular file: not read", report.Failed!["accounts/eve/authorizedKeys"]);
    }

    [Fact]
    public async Task A_files_root_reached_through_a_link_is_a_failed_part_not_a_walk_outside()
    {
        Directory.CreateDirectory(Path.Join(outside, "lib"));
        File.WriteAllText(Path.Join(outside, "lib", Canary), "x");
        Relink("/usr", outside);

        var snapshot = await new Snapshotter(BuiltInSections.CreateCollectors(files: new InfraDiff.Sections.Files.FilesCollectorOptions { UseCache = false, Roots = ["/usr/lib", "/etc"] }))
            .TakeAsync(new SnapshotOptions { Root = root.Path, Only = ["files"] });

        Assert.DoesNotContain(Canary, Encoding.UTF8.GetString(SnapshotJson.ToCanonicalBytes(snapshot)), StringComparison.Ordinal);
        Assert.StartsWith("/usr leads through a symlink", snapshot.Metadata.Collectors["files"].Failed!["~1usr~1lib"], StringComparison.Ordinal);
    }

    private void Relink(string hostPath, string target)
    {
        var path = root.Host(hostPath);
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            File.Delete(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
    }
}
