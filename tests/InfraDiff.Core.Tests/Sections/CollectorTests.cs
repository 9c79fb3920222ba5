using System.Text;
using InfraDiff.Sections.Os;
using InfraDiff.Snapshots;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Sections;

/// <summary>Each collector against a fixture root changed by the real tools an operator would use.</summary>
public sealed class CollectorTests
{
    [Fact]
    public async Task A_user_added_with_useradd_appears_in_accounts_and_groups()
    {
        using var root = new FixtureRoot();

        Fixtures.RunTool("useradd", "--root", root.Path, "--shell", "/bin/sh", "--home-dir", "/home/alice", "alice");
        var users = Fixtures.Section(await root.SnapshotAsync("users"), "users");

        var alice = Fixtures.At(users, "accounts", "alice");
        Assert.Equal("/bin/sh", alice.GetProperty("shell").GetString());
        Assert.Equal("none", alice.GetProperty("password").GetString());
        Assert.Equal(alice.GetProperty("gid").GetInt64(), Fixtures.At(users, "groups", "alice", "gid").GetInt64());
    }

    [Fact]
    public async Task An_authorized_key_appears_as_the_fingerprint_ssh_keygen_prints_and_never_as_the_key()
    {
        using var root = new FixtureRoot();
        var keyFile = Path.Join(root.Path, "generated-key");
        Fixtures.RunTool("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@laptop", "-f", keyFile);
        var publicKey = File.ReadAllText(keyFile + ".pub").Trim();
        var expectedFingerprint = Fixtures.RunTool("ssh-keygen", "-l", "-E", "sha256", "-f", keyFile + ".pub").Split(' ')[1];
        root.Write("/root/.ssh/authorized_keys", $"# laptop\nfrom=\"10.0.0.0/8\",environment=\"TOKEN=s3cret\" {publicKey}\nnot a key line\n");

        var snapshot = await root.SnapshotAsync("users");

        var key = Fixtures.At(Fixtures.Section(snapshot, "users"), "accounts", "root", "authorizedKeys", expectedFingerprint);
        Assert.Equal("ssh-ed25519", key.GetProperty("type").GetString());
        Assert.Equal("alice@laptop", key.GetProperty("comment").GetString());
        Assert.Equal("from=\"10.0.0.0/8\",environment=\"TOKEN=<redacted>\"", key.GetProperty("options").GetString());
        var text = Fixtures.SectionsText(snapshot);
        Assert.DoesNotContain(publicKey.Split(' ')[1], text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sudoers_d_file_appears_and_backup_files_are_ignored_as_sudo_ignores_them()
    {
        using var root = new FixtureRoot();
        root.Write("/etc/sudoers.d/deploy", "deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart app\n");
        root.Write("/etc/sudoers.d/deploy~", "deploy ALL=(ALL) ALL\n");
        root.Write("/etc/sudoers.d/old.bak", "deploy ALL=(ALL) ALL\n");

        var sudoers = Fixtures.At(Fixtures.Section(await root.SnapshotAsync("users"), "users"), "sudoers");

        Assert.Equal("deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart app", Fixtures.At(sudoers, "/etc/sudoers.d/deploy")[0].GetString());
        Assert.False(sudoers.TryGetProperty("/etc/sudoers.d/deploy~", out _));
        Assert.False(sudoers.TryGetProperty("/etc/sudoers.d/old.bak", out _));
    }

    [Fact]
    public async Task A_file_dropped_into_cron_d_appears_with_its_entries()
    {
        using var root = new FixtureRoot();
        root.Write("/etc/cron.d/backup", "MAILTO=ops@example.invalid\n30 2 * * * root /usr/local/bin/backup --full\n");

        var cron = Fixtures.At(Fixtures.Section(await root.SnapshotAsync("scheduled"), "scheduled"), "cron", "/etc/cron.d/backup");

        Assert.Equal("30 2 * * * root /usr/local/bin/backup --full", cron.GetProperty("entries")[0].GetString());
        Assert.Equal("ops@example.invalid", Fixtures.At(cron, "variables", "MAILTO").GetString());
    }

    [Fact]
    public async Task A_cron_d_file_named_with_a_byte_that_is_not_utf8_is_read()
    {
        using var root = new FixtureRoot();
        root.Write("/etc/cron.d/placeholder", "* * * * * root /tmp/.x/run\n");
        RawNames.Run("mv", [System.Text.Encoding.UTF8.GetBytes(root.Host("/etc/cron.d/placeholder")), RawNames.Join(root.Host("/etc/cron.d"), 0xFF)]);

        var cron = Fixtures.At(Fixtures.Section(await root.SnapshotAsync("scheduled"), "scheduled"), "cron", @"/etc/cron.d/\xFF");

        Assert.Equal("* * * * * root /tmp/.x/run", cron.GetProperty("entries")[0].GetString());
    }

    [Fact]
    public async Task Cron_scripts_carry_a_sha256_and_timers_their_schedule()
    {
        using var root = new FixtureRoot();
        var expected = Fixtures.RunTool("sha256sum", root.Host("/etc/cron.daily/dpkg")).Split(' ')[0];

        var scheduled = Fixtures.Section(await root.SnapshotAsync("scheduled"), "scheduled");

        Assert.Equal(expected, Fixtures.At(scheduled, "scripts", "/etc/cron.daily/dpkg", "sha256").GetString());
        Assert.Equal("*-*-* 6,18:00", Fixtures.At(scheduled, "timers", "apt-daily.timer", "settings", "OnCalendar")[0].GetString());
    }

    [Fact]
    public async Task A_package_installed_with_dpkg_appears_with_its_version()
    {
        using var root = new FixtureRoot();
        var build = Path.Join(root.Path, "build");
        Directory.CreateDirectory(Path.Join(build, "DEBIAN"));
        File.WriteAllText(Path.Join(build, "DEBIAN", "control"), "Package: infradiff-probe\nVersion: 1.2.3-1\nArchitecture: all\nMaintainer: Tests <tests@example.invalid>\nDescription: probe package\n");
        var deb = Path.Join(root.Path, "probe.deb");
        Fixtures.RunTool("dpkg-deb", "--build", build, deb);
        Directory.CreateDirectory(root.Host("/var/lib/dpkg/info"));
        Directory.CreateDirectory(root.Host("/var/lib/dpkg/updates"));
        File.WriteAllText(root.Host("/var/lib/dpkg/available"), "");

        Fixtures.RunTool("dpkg", $"--root={root.Path}", "--force-not-root", "--force-script-chrootless", "-i", deb);
        var packages = Fixtures.Section(await root.SnapshotAsync("packages"), "packages");

        Assert.Equal("1.2.3-1", Fixtures.At(packages, "infradiff-probe", "version").GetString());
        Assert.Equal("all", Fixtures.At(packages, "infradiff-probe", "architecture").GetString());
    }

    [Fact]
    public async Task Unit_files_under_a_root_come_from_systemctl_and_runtime_is_marked_unavailable()
    {
        using var root = new FixtureRoot();

        var snapshot = await root.SnapshotAsync("services");

        var services = Fixtures.Section(snapshot, "services");
        Assert.Equal("disabled", Fixtures.At(services, "cron.service", "unitFile").GetString());
        Assert.False(Fixtures.At(services, "cron.service").TryGetProperty("active", out _));
        Assert.Contains("runtime", snapshot.Metadata.Collectors["services"].Unavailable!.Keys);
    }

    [Fact]
    public async Task Os_section_under_a_root_reads_the_release_and_never_a_proc_tree_inside_it()
    {
        // The fixture root carries a proc/ of its own, as a tree with /proc mounted inside it would: it is not the image's kernel.
        using var root = new FixtureRoot();

        var snapshot = await root.SnapshotAsync("os");
        var os = Fixtures.Section(snapshot, "os");

        Assert.Equal("fixturehost", os.GetProperty("hostname").GetString());
        Assert.Equal("debian", Fixtures.At(os, "release", "id").GetString());
        Assert.False(os.TryGetProperty("sysctls", out _));
        Assert.False(os.TryGetProperty("kernel", out _));
        Assert.Equal(["kernel", "modules", "mounts", "sysctls"], snapshot.Metadata.Collectors["os"].Unavailable!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Mountinfo_is_keyed_by_mount_point()
    {
        var mounts = MountInfoParser.Parse(Fixtures.Read("debian12/root/proc/self/mountinfo"));

        Assert.Equal("ext4", mounts["/"].FsType);
    }

    [Fact]
    public async Task Neither_a_password_hash_nor_an_environment_value_enters_a_snapshot()
    {
        using var root = new FixtureRoot();
        const string hash = "$y$j9T$PlantedSaltValue$PlantedHashValueThatMustNeverLeakXyZ0123456789";
        File.AppendAllText(root.Host("/etc/passwd"), "carol:x:1500:1500::/home/carol:/bin/bash\n");
        File.AppendAllText(root.Host("/etc/shadow"), $"carol:{hash}:19000:0:99999:7:::\n");
        const string canary = "INFRADIFF_CANARY_5d1f0c9e";
        Environment.SetEnvironmentVariable("INFRADIFF_TEST_SECRET", canary);
        try
        {
            var snapshot = await root.SnapshotAsync();
            var bytes = Encoding.UTF8.GetString(SnapshotJson.ToCanonicalBytes(snapshot));

            Assert.Equal("set", Fixtures.At(Fixtures.Section(snapshot, "users"), "accounts", "carol", "password").GetString());
            Assert.DoesNotContain("PlantedSaltValue", bytes, StringComparison.Ordinal);
            Assert.DoesNotContain("PlantedHashValue", bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(canary, bytes, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("INFRADIFF_TEST_SECRET", null);
        }
    }
}
