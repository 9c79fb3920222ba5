namespace InfraDiff.IntegrationTests.Scenarios;

/// <summary>
/// A minimal Debian 12 root built with debootstrap from the archive this machine's apt uses, once per test run
/// and shared by the scenario tests, which each work on a copy. Set INFRADIFF_DEBIAN_ROOT_CACHE to a tar path to
/// keep the root between local runs (CI does not set it: there the root is built fresh).
/// </summary>
public sealed class DebianRoot : IAsyncLifetime
{
    /// <summary>What the scenarios change: sshd, cron, sudo, PAM, systemd units, sysctl files, modprobe.</summary>
    private const string Packages = "openssh-server,cron,sudo,systemd,procps,passwd,kmod";

    private readonly string directory = Directory.CreateTempSubdirectory("idt-debian-").FullName;

    public string Path => System.IO.Path.Join(directory, "root");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists("/usr/sbin/debootstrap"), "debootstrap is missing: install Debian's debootstrap (.ci/run does)");
        var cache = Environment.GetEnvironmentVariable("INFRADIFF_DEBIAN_ROOT_CACHE");
        Directory.CreateDirectory(Path);
        if (cache is not null && File.Exists(cache) && await TryRunAsync("tar", "-xf", cache, "-C", Path) == 0)
        {
            return;
        }

        var mirror = ArchiveUri();
        var exit = await TryRunAsync("/usr/sbin/debootstrap", "--variant=minbase", $"--include={Packages}", "bookworm", Path, mirror);
        Assert.True(exit == 0, $"debootstrap from {mirror} exited {exit}");
        if (cache is not null)
        {
            await TryRunAsync("tar", "-cf", cache, "-C", Path, ".");
        }
    }

    public async Task DisposeAsync()
    {
        await TryRunAsync("rm", "-rf", directory);
    }

    /// <summary>A copy of the pristine root to change, removed with the fixture.</summary>
    public async Task<string> CopyAsync(string name)
    {
        var copy = System.IO.Path.Join(directory, name);
        var exit = await TryRunAsync("cp", "-a", Path, copy);
        Assert.Equal(0, exit);
        return copy;
    }

    /// <summary>The first Debian archive URI in this machine's apt sources (deb822 or one-line format).</summary>
    private static string ArchiveUri()
    {
        foreach (var file in new[] { "/etc/apt/sources.list.d/debian.sources" }.Concat(Directory.GetFiles("/etc/apt/sources.list.d", "*.sources")))
        {
            if (File.Exists(file))
            {
                var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("URIs:", StringComparison.Ordinal) && !l.Contains("security", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line["URIs:".Length..].Trim().Split(' ')[0];
                }
            }
        }

        var deb = File.Exists("/etc/apt/sources.list")
            ? File.ReadLines("/etc/apt/sources.list").FirstOrDefault(l => l.StartsWith("deb ", StringComparison.Ordinal) && !l.Contains("security", StringComparison.Ordinal))
            : null;
        Assert.True(deb is not null, "no Debian archive in /etc/apt/sources.list{,.d}: debootstrap needs one");
        return deb.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(f => f.Contains("://", StringComparison.Ordinal));
    }

    internal static async Task<int> TryRunAsync(string program, params string[] arguments)
    {
        var result = await Tool.RunAsync(program, arguments);
        if (result.ExitCode != 0)
        {
            Console.Error.WriteLine($"{program} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        }

        return result.ExitCode;
    }
}

[CollectionDefinition(Name)]
public sealed class DebianRootCollection : ICollectionFixture<DebianRoot>
{
    public const string Name = "debian root";
}
