using System.Formats.Tar;
using InfraDiff.Host;

namespace InfraDiff.Tests.Host;

/// <summary>
/// An image's archive is untrusted: unpacking keeps owners, setuid bits, links and devices, and refuses any entry
/// that would land outside the folder (by "..", or below a symlink an earlier entry made). Runs as root, as the
/// image mode needs (tests and CI do).
/// </summary>
public sealed class RootUnpackerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("infradiff-unpack-").FullName;

    private string Root => Path.Join(directory, "root");

    private string Outside => Path.Join(directory, "outside");

    public RootUnpackerTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static async Task<MemoryStream> TarAsync(params TarEntry[] entries)
    {
        var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                await writer.WriteEntryAsync(entry);
            }
        }

        tar.Position = 0;
        return tar;
    }

    private static PaxTarEntry File(string name, string text, string mode = "644", int uid = 0, int gid = 0) =>
        new(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)),
            Mode = (UnixFileMode)Convert.ToInt32(mode, 8),
            Uid = uid,
            Gid = gid,
        };

    [Fact]
    public async Task Owners_setuid_bits_symlinks_hard_links_and_devices_are_kept()
    {
        using var tar = await TarAsync(
            new PaxTarEntry(TarEntryType.Directory, "./usr/bin/") { Mode = (UnixFileMode)Convert.ToInt32("755", 8) },
            File("./usr/bin/helper", "#!/bin/sh\n", "4755", uid: 0, gid: 50),
            File("./home/app/notes", "", "600", uid: 1000, gid: 1000),
            new PaxTarEntry(TarEntryType.SymbolicLink, "./usr/bin/alias") { LinkName = "/etc/shadow" },
            new PaxTarEntry(TarEntryType.HardLink, "./usr/bin/helper2") { LinkName = "usr/bin/helper" },
            new PaxTarEntry(TarEntryType.CharacterDevice, "./dev/null") { Mode = (UnixFileMode)Convert.ToInt32("666", 8), DeviceMajor = 1, DeviceMinor = 3 },
            new PaxTarEntry(TarEntryType.Fifo, "./run/pipe") { Mode = (UnixFileMode)Convert.ToInt32("600", 8) });

        await RootUnpacker.UnpackAsync(tar, Root, CancellationToken.None);

        Assert.True(LinuxFile.TryLStat(Path.Join(Root, "usr/bin/helper"), out var helper, out _));
        Assert.Equal(("104755", 0u, 50u), (Convert.ToString(helper.Mode, 8), helper.Uid, helper.Gid));
        Assert.True(LinuxFile.TryLStat(Path.Join(Root, "home/app/notes"), out var notes, out _));
        Assert.Equal((1000u, 1000u), (notes.Uid, notes.Gid));
        Assert.Equal("/etc/shadow", new FileInfo(Path.Join(Root, "usr/bin/alias")).LinkTarget);
        Assert.True(LinuxFile.TryLStat(Path.Join(Root, "usr/bin/helper2"), out var hardLink, out _));
        Assert.Equal(helper.Inode, hardLink.Inode);
        Assert.True(LinuxFile.TryLStat(Path.Join(Root, "dev/null"), out var device, out _));
        Assert.Equal(("20666", 1u, 3u), (Convert.ToString(device.Mode, 8), device.RDevMajor, device.RDevMinor));
        Assert.True(LinuxFile.TryLStat(Path.Join(Root, "run/pipe"), out var fifo, out _));
        Assert.Equal("10600", Convert.ToString(fifo.Mode, 8));
    }

    public static TheoryData<string> Escapes => new() { "dotdot", "below-symlink", "hard-link-out", "absolute-dotdot" };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task An_entry_that_would_land_outside_the_root_is_refused_and_nothing_is_written_outside(string kind)
    {
        TarEntry[] entries = kind switch
        {
            "dotdot" => [File("./etc/../../outside/planted", "x")],
            "absolute-dotdot" => [File("/../outside/planted", "x")],
            "below-symlink" => [new PaxTarEntry(TarEntryType.SymbolicLink, "./etc") { LinkName = Outside }, File("./etc/planted", "x")],
            _ => [new PaxTarEntry(TarEntryType.HardLink, "./etc/planted") { LinkName = "../outside/target" }],
        };
        System.IO.File.WriteAllText(Path.Join(Outside, "target"), "outside");
        using var tar = await TarAsync(entries);

        var error = await Assert.ThrowsAsync<InfraDiffException>(() => RootUnpacker.UnpackAsync(tar, Root, CancellationToken.None));

        Assert.StartsWith("the image's archive has an entry", error.Message, StringComparison.Ordinal);
        Assert.Equal(["target"], Directory.GetFileSystemEntries(Outside).Select(Path.GetFileName));
    }
}
