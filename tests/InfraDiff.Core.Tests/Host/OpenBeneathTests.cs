using InfraDiff.Host;

namespace InfraDiff.Tests.Host;

/// <summary>
/// The store opens every file beneath its folder without following a link: with openat2 where the kernel allows it,
/// and one name at a time where a seccomp filter refuses openat2 (systemd's RestrictSUIDSGID= does, in the shipped
/// unit; BootedSystemdTests runs it there). Both ways give the same answers on the same real tree.
/// </summary>
public sealed class OpenBeneathTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("infradiff-beneath-").FullName;

    public OpenBeneathTests()
    {
        Directory.CreateDirectory(Path.Join(folder, "store", "outbox"));
        File.WriteAllText(Path.Join(folder, "store", "outbox", "a.json"), "{}");
        File.WriteAllText(Path.Join(folder, "outside.txt"), "secret");
        File.CreateSymbolicLink(Path.Join(folder, "store", "link.json"), Path.Join(folder, "outside.txt"));
        Directory.CreateSymbolicLink(Path.Join(folder, "store", "reports"), folder);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("outbox/a.json", 0)]
    [InlineData("./outbox//a.json", 0)]
    [InlineData("link.json", LinuxFile.ELOOP)]
    [InlineData("reports/outside.txt", LinuxFile.ELOOP)]
    [InlineData("../outside.txt", LinuxFile.EXDEV)]
    [InlineData("outbox/missing.json", 2)]
    public void Both_ways_open_what_lies_beneath_and_refuse_links_and_climbs_alike(string path, int expected)
    {
        using var store = LinuxFile.Open(Path.Join(folder, "store"), LinuxFile.ReadOnly | LinuxFile.DirectoryOnly | LinuxFile.CloseOnExec, out _)!;

        using var viaOpenat2 = LinuxFile.OpenBeneath(store, path, LinuxFile.ReadOnly | LinuxFile.CloseOnExec, 0, out var errno2);
        using var byNames = LinuxFile.OpenBeneathByNames(store, path, LinuxFile.ReadOnly | LinuxFile.CloseOnExec, 0, out var errnoByNames);

        Assert.Equal(expected, errno2);
        Assert.Equal(expected, errnoByNames);
        Assert.Equal(expected == 0, byNames is not null);
    }

    [Fact]
    public void One_name_at_a_time_creates_a_new_file_exclusively_with_its_mode()
    {
        using var store = LinuxFile.Open(Path.Join(folder, "store"), LinuxFile.ReadOnly | LinuxFile.DirectoryOnly | LinuxFile.CloseOnExec, out _)!;
        const int create = 0x40 | 0x80 | 0x1; // O_CREAT | O_EXCL | O_WRONLY (the same on x86-64 and arm64)

        using (var made = LinuxFile.OpenBeneathByNames(store, "outbox/new.json", create | LinuxFile.CloseOnExec, Convert.ToUInt32("600", 8), out var errno))
        {
            Assert.Equal(0, errno);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(folder, "store", "outbox", "new.json")));
        Assert.Null(LinuxFile.OpenBeneathByNames(store, "outbox/new.json", create, Convert.ToUInt32("600", 8), out var again));
        Assert.Equal(17, again);
    }
}
