using InfraDiff.Sections;
using InfraDiff.Sections.Os;
using InfraDiff.Sections.Packages;
using InfraDiff.Sections.Scheduled;
using InfraDiff.Sections.Services;
using InfraDiff.Sections.Users;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Sections;

public sealed class OsParserTests
{
    [Theory]
    [InlineData("debian12/root/etc/os-release", "debian", "12", "Debian GNU/Linux 12 (bookworm)")]
    [InlineData("parsers/ubuntu2404-os-release.txt", "ubuntu", "24.04", "Ubuntu 24.04.1 LTS")]
    [InlineData("parsers/alpine319-os-release.txt", "alpine", "3.19.1", "Alpine Linux v3.19")]
    [InlineData("parsers/rocky9-os-release.txt", "rocky", "9.4", "Rocky Linux 9.4 (Blue Onyx)")]
    public void Parses_os_release_of_each_distribution(string fixture, string id, string versionId, string prettyName)
    {
        var values = OsReleaseParser.Parse(Fixtures.Read(fixture));

        Assert.Equal(id, values["ID"]);
        Assert.Equal(versionId, values["VERSION_ID"]);
        Assert.Equal(prettyName, values["PRETTY_NAME"]);
    }

    [Fact]
    public void Skips_os_release_lines_without_an_assignment()
    {
        var values = OsReleaseParser.Parse("# comment\nnot a line\n=novalue\nID=\"x \\\"y\\\"\"\n");

        Assert.Equal(["ID"], values.Keys);
        Assert.Equal("x \"y\"", values["ID"]);
    }

    [Fact]
    public void Parses_real_mountinfo_keyed_by_target_without_mount_ids()
    {
        var mounts = MountInfoParser.Parse(Fixtures.Read("debian12/root/proc/self/mountinfo"));

        Assert.Equal("ext4", mounts["/"].FsType);
        Assert.Equal("proc", mounts["/proc"].FsType);
        Assert.DoesNotContain(mounts.Values, m => m.Options.Contains("0:2", StringComparison.Ordinal));
    }

    [Fact]
    public void Unescapes_octal_mountinfo_paths_and_skips_malformed_lines()
    {
        const string text = "36 35 98:0 / /mnt/my\\040disk rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"
            + "garbage line\n"
            + "37 35 0:1 / /short rw - \n";

        var mounts = MountInfoParser.Parse(text);

        var mount = Assert.Single(mounts);
        Assert.Equal("/mnt/my disk", mount.Key);
        Assert.Equal(new MountEntry("/dev/root", "ext3", "rw,noatime"), mount.Value);
    }
}

public sealed class PackageParserTests
{
    [Fact]
    public void Parses_real_dpkg_status_with_multiarch_names()
    {
        var packages = PackageParsers.KeyByName(PackageParsers.ParseDpkgStatus(Fixtures.Read("debian12/root/var/lib/dpkg/status")));

        Assert.Equal(10, packages.Count);
        Assert.Contains("libc6:amd64", packages.Keys);
        Assert.Contains("openssl", packages.Keys);
        Assert.Equal("amd64", packages["openssl"].Architecture);
        Assert.Null(packages["openssl"].State);
    }

    [Fact]
    public void Skips_dpkg_packages_that_are_removed_or_only_configured()
    {
        const string text = "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
            + "Package: half\nStatus: install reinstreq half-installed\nVersion: 2\nArchitecture: amd64\n\n"
            + "Status: install ok installed\n\n"
            + "Package: kept\nStatus: install ok installed\nVersion: 3\nArchitecture: all\nDescription: a\n multi-line\n";

        var packages = PackageParsers.KeyByName(PackageParsers.ParseDpkgStatus(text));

        Assert.Equal(["half", "kept"], packages.Keys);
        Assert.Equal("half-installed", packages["half"].State);
        Assert.Equal("3", packages["kept"].Version);
    }

    [Fact]
    public void Parses_real_alpine_apk_database()
    {
        var packages = PackageParsers.KeyByName(PackageParsers.ParseApkInstalled(Fixtures.Read("parsers/alpine-apk-installed.txt")));

        Assert.Equal(["libc-utils", "musl-utils"], packages.Keys);
        Assert.Equal(new PackageEntry("1.1.24-r0", "x86_64", null), packages["musl-utils"]);
    }

    [Fact]
    public void Keys_rpm_install_only_packages_by_version_and_drops_zero_epochs()
    {
        var packages = PackageParsers.KeyByName(PackageParsers.ParseRpmQuery(Fixtures.Read("parsers/rhel9-rpm-qa.txt")));

        Assert.Equal("5.1.8-9.el9", packages["bash"].Version);
        Assert.Equal("1:3.0.7-27.el9", packages["openssl"].Version);
        Assert.Contains("kernel-core-5.14.0-427.13.1.el9_4.x86_64", packages.Keys);
        Assert.Contains("kernel-core-5.14.0-503.14.1.el9_5.x86_64", packages.Keys);
        Assert.Equal("", packages["gpg-pubkey"].Architecture);
        Assert.Equal(5, packages.Count);
    }
}

public sealed class SystemctlParserTests
{
    [Fact]
    public void Parses_real_list_units_from_ubuntu()
    {
        var units = SystemctlParser.ParseUnits(Fixtures.Read("commands/ubuntu2404-systemctl-list-units-running.txt"));

        Assert.Equal(25, units.Count);
        Assert.Equal(new UnitRuntimeState("loaded", "active", "running"), units["ssh.service"]);
        Assert.Contains("getty@tty1.service", units.Keys);
    }

    [Fact]
    public void Parses_a_failed_unit_marked_with_a_bullet()
    {
        var units = SystemctlParser.ParseUnits("● nginx.service loaded failed failed A high performance web server\n");

        Assert.Equal(new UnitRuntimeState("loaded", "failed", "failed"), units["nginx.service"]);
    }
}

public sealed class AccountParserTests
{
    [Fact]
    public void Parses_real_passwd_and_group()
    {
        var accounts = AccountParsers.ParsePasswd(Fixtures.Read("debian12/root/etc/passwd")).ToDictionary(a => a.Name);
        var groups = AccountParsers.ParseGroup(Fixtures.Read("debian12/root/etc/group")).ToDictionary(g => g.Name);

        Assert.Equal(new PasswdEntry("root", 0, 0, "root", "/root", "/bin/bash"), accounts["root"]);
        Assert.Equal(0, groups["root"].Gid);
    }

    [Fact]
    public void Skips_malformed_passwd_lines()
    {
        var accounts = AccountParsers.ParsePasswd("ok:x:1:1::/h:/bin/sh\nshort:x:1\nbad:x:notanumber:1::/h:/bin/sh\n+nis\n").ToList();

        Assert.Equal("ok", Assert.Single(accounts).Name);
    }

    [Theory]
    [InlineData("$y$j9T$abc$def", "set")]
    [InlineData("!$6$salt$hash", "locked")]
    [InlineData("*", "none")]
    [InlineData("!", "none")]
    [InlineData("!!", "none")]
    [InlineData("", "empty")]
    public void Classifies_a_password_without_keeping_the_hash(string field, string status)
    {
        var shadow = AccountParsers.ParseShadow($"alice:{field}:19700:0:99999:7:::\n");

        // Day 19700 after 1970-01-01, as `date -d @$((19700*86400))` prints it.
        Assert.Equal(new ShadowEntry(status, "2023-12-09"), shadow["alice"]);
    }

    [Fact]
    public void Sorts_group_members()
    {
        var group = Assert.Single(AccountParsers.ParseGroup("sudo:x:27:zed,alice, bob\n"));

        Assert.Equal(["alice", "bob", "zed"], group.Members);
    }
}

public sealed class SudoersParserTests
{
    [Fact]
    public void Parses_real_debian_sudoers_into_rule_lines()
    {
        var rules = SudoersParser.Parse(Fixtures.Read("debian12/root/etc/sudoers"));

        Assert.Contains("root ALL=(ALL:ALL) ALL", rules);
        Assert.Contains("%sudo ALL=(ALL:ALL) ALL", rules);
        Assert.Contains("@includedir /etc/sudoers.d", rules);
        Assert.DoesNotContain(rules, r => r.StartsWith("# ", StringComparison.Ordinal));
    }

    [Fact]
    public void Joins_continuations_and_keeps_uid_and_include_lines()
    {
        var rules = SudoersParser.Parse("#includedir /etc/sudoers.d\n#1000   ALL=(ALL) \\\n    NOPASSWD: ALL   # trailing\n# a comment\n");

        Assert.Equal(["#includedir /etc/sudoers.d", "#1000 ALL=(ALL) NOPASSWD: ALL"], rules);
    }
}

public sealed class CrontabParserTests
{
    [Fact]
    public void Parses_real_debian_crontab_with_user_field()
    {
        var crontab = CrontabParser.Parse(Fixtures.Read("debian12/root/etc/crontab"), hasUserField: true);

        Assert.Contains(crontab.Entries, e => e.StartsWith("17 * * * * root cd / && run-parts --report /etc/cron.hourly", StringComparison.Ordinal));
        Assert.Equal("/bin/sh", crontab.Variables!["SHELL"]);
    }

    [Fact]
    public void Masks_unknown_variables_and_url_secrets_in_commands()
    {
        var crontab = CrontabParser.Parse(
            "API_TOKEN=hunter2\n@daily curl -s https://user:pw@example.invalid/hook?token=abc\n*/5  *  * * *   /usr/bin/true\n0 1 * * * mysqldump --password=hunter2 shop\nmalformed\n",
            hasUserField: false);

        Assert.Equal(SecretRedactorMask, crontab.Variables!["API_TOKEN"]);
        Assert.Equal(["@daily curl -s https://<redacted>@example.invalid/hook?<redacted>", "*/5 * * * * /usr/bin/true", "0 1 * * * mysqldump --password=<redacted> shop"], crontab.Entries);
    }

    [Fact]
    public void Reads_repeated_timer_settings_and_honours_empty_resets()
    {
        var settings = UnitFileParser.ParseSection(Fixtures.Read("debian12/root/usr/lib/systemd/system/apt-daily.timer"), "Timer");

        Assert.Equal(["*-*-* 6,18:00"], settings["OnCalendar"]);
        Assert.Equal(["true"], settings["Persistent"]);

        var reset = UnitFileParser.ParseSection("[Timer]\nOnCalendar=daily\nOnCalendar=\nOnCalendar=weekly\n[Install]\nWantedBy=timers.target\n", "Timer");
        Assert.Equal(["weekly"], Assert.Single(reset).Value);
    }

    private const string SecretRedactorMask = InfraDiff.Redaction.SecretRedactor.Mask;
}
