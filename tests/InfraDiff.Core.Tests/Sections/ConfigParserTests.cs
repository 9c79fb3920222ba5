using System.Text.Json;
using InfraDiff.Sections.Config;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Sections;

/// <summary>The config parsers on Debian 12's own files (from a debootstrap'd root), hardened variants, and malformed files.</summary>
public sealed class ConfigParserTests
{
    private static IEnumerable<(string, string)> NoIncludes(string pattern) => [];

    [Fact]
    public void Debian_sshd_config_gives_its_few_uncommented_settings_with_lists_kept_in_order()
    {
        var problems = new ConfigProblems();

        var settings = SshdConfigParser.Parse("/etc/ssh/sshd_config", Fixtures.Read("config/debian12/sshd_config"), NoIncludes, problems);

        Assert.Equal(["AcceptEnv", "KbdInteractiveAuthentication", "PrintMotd", "Subsystem", "UsePAM", "X11Forwarding"], settings.Keys);
        Assert.Equal("no", settings["KbdInteractiveAuthentication"]);
        Assert.Equal(["sftp /usr/lib/openssh/sftp-server"], (List<string>)settings["Subsystem"]);
        Assert.Empty(problems.ByFile);
    }

    [Fact]
    public void Hardened_sshd_config_takes_the_first_value_expands_includes_in_place_and_keys_match_blocks()
    {
        var problems = new ConfigProblems();
        var included = Fixtures.Read("config/hardened/sshd_config.d-50-cloud.conf");

        var settings = SshdConfigParser.Parse(
            "/etc/ssh/sshd_config",
            Fixtures.Read("config/hardened/sshd_config"),
            pattern => pattern == "/etc/ssh/sshd_config.d/*.conf" ? [("/etc/ssh/sshd_config.d/50-cloud.conf", included)] : [],
            problems);

        // The include comes first, so its MaxAuthTries wins; the later lowercase keyword loses to the first value.
        Assert.Equal("3", settings["MaxAuthTries"]);
        Assert.Equal("no", settings["PasswordAuthentication"]);
        Assert.Equal("no", settings["PermitRootLogin"]);
        Assert.Equal(["/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ed25519_key"], (List<string>)settings["HostKey"]);
        var backup = Assert.IsType<SortedDictionary<string, object>>(settings["Match User backup"]);
        Assert.Equal("yes", backup["PasswordAuthentication"]);
        Assert.Equal("internal-sftp", backup["ForceCommand"]);
        Assert.Contains("Match Group admins Address 10.0.0.0/8", settings.Keys);
        Assert.False(settings.ContainsKey("passwordauthentication"));
    }

    [Fact]
    public void Malformed_sshd_lines_are_problems_with_their_line_numbers_and_the_rest_is_read()
    {
        var problems = new ConfigProblems();

        var settings = SshdConfigParser.Parse("/etc/ssh/sshd_config", Fixtures.Read("config/malformed/sshd_config"), NoIncludes, problems);

        Assert.Equal(["line 1: 'PermitRootLogin' has no value", "line 3: 'Include' has no value"], problems.ByFile["/etc/ssh/sshd_config"]);
        Assert.Equal("no", settings["PasswordAuthentication"]);
        Assert.Equal(["22"], (List<string>)settings["Port"]);
    }

    [Fact]
    public void An_include_that_includes_itself_stops_at_the_depth_limit()
    {
        var problems = new ConfigProblems();

        var settings = SshdConfigParser.Parse("/etc/ssh/sshd_config", "Include loop.conf\nPort 22\n", _ => [("/etc/ssh/loop.conf", "Include loop.conf\nPermitRootLogin no\n")], problems);

        Assert.Equal("no", settings["PermitRootLogin"]);
        Assert.Contains(problems.ByFile["/etc/ssh/loop.conf"], p => p.Contains("nested deeper than 16", StringComparison.Ordinal));
    }

    [Fact]
    public void Sysctl_files_give_dotted_keys_in_order_with_both_comment_styles_and_the_ignore_prefix()
    {
        var problems = new ConfigProblems();

        var values = SysctlConfigParser.Parse("/etc/sysctl.d/99-hardening.conf", Fixtures.Read("config/hardened/sysctl.d-99-hardening.conf"), problems).ToList();

        Assert.Contains(("kernel.yama.ptrace_scope", "2"), values);
        Assert.Contains(("kernel.kptr_restrict", "2"), values);
        Assert.Contains(("kernel.unprivileged_bpf_disabled", "1"), values);
        Assert.Contains(("net.ipv4.conf.all.rp_filter", "1"), values);
        Assert.Equal(12, values.Count);
        Assert.Empty(problems.ByFile);
        Assert.Empty(SysctlConfigParser.Parse("/etc/sysctl.conf", Fixtures.Read("config/debian12/sysctl.conf"), problems));
        Assert.Equal([("kernel.pid_max", "4194304")], SysctlConfigParser.Parse("f", Fixtures.Read("config/debian12/usr-lib-sysctl.d-50-pid-max.conf"), problems));
    }

    [Fact]
    public void Malformed_sysctl_lines_are_problems()
    {
        var problems = new ConfigProblems();

        var values = SysctlConfigParser.Parse("/etc/sysctl.conf", Fixtures.Read("config/malformed/sysctl.conf"), problems).ToList();

        Assert.Equal([("net.ipv4.ip_forward", "1")], values);
        Assert.Equal(["line 1: expected 'key = value'", "line 2: expected 'key = value'"], problems.ByFile["/etc/sysctl.conf"]);
    }

    [Fact]
    public void Login_defs_reads_debian_defaults_and_hardened_values()
    {
        var problems = new ConfigProblems();

        var debian = LoginDefsParser.Parse("/etc/login.defs", Fixtures.Read("debian12/root/etc/login.defs"), problems);
        var hardened = LoginDefsParser.Parse("/etc/login.defs", Fixtures.Read("config/hardened/login.defs"), problems);

        Assert.Equal("99999", debian["PASS_MAX_DAYS"]);
        Assert.Equal("022", debian["UMASK"]);
        Assert.Equal("60", hardened["PASS_MAX_DAYS"]);
        Assert.Equal("027", hardened["UMASK"]);
        Assert.Empty(problems.ByFile);
    }

    [Fact]
    public void Pam_files_keep_their_lines_in_order_without_comments_and_with_continuations_joined()
    {
        var problems = new ConfigProblems();

        var debian = PamConfigParser.Parse("/etc/pam.d/common-auth", Fixtures.Read("config/debian12/pam.d-common-auth"), problems);
        var sshd = PamConfigParser.Parse("/etc/pam.d/sshd", Fixtures.Read("config/debian12/pam.d-sshd"), problems);
        var hardened = PamConfigParser.Parse("/etc/pam.d/common-auth", Fixtures.Read("config/hardened/pam.d-common-auth"), problems);

        Assert.Equal(["auth [success=1 default=ignore] pam_unix.so nullok", "auth requisite pam_deny.so", "auth required pam_permit.so"], debian);
        Assert.Contains("session optional pam_mail.so standard noenv", sshd);
        Assert.Equal("@include common-auth", sshd[0]);
        Assert.Equal("auth [success=1 default=ignore] pam_unix.so try_first_pass", hardened[1]);
        Assert.Equal(5, hardened.Count);
        Assert.Empty(problems.ByFile);
    }

    [Fact]
    public void Malformed_pam_lines_are_problems()
    {
        var problems = new ConfigProblems();

        var lines = PamConfigParser.Parse("/etc/pam.d/login", Fixtures.Read("config/malformed/pam.d-login"), problems);

        Assert.Equal(["session optional pam_motd.so"], lines);
        Assert.Equal(3, problems.ByFile["/etc/pam.d/login"].Count);
    }

    [Fact]
    public void Fstab_is_keyed_by_mount_point_with_swap_by_source()
    {
        var problems = new ConfigProblems();

        var debian = FstabParser.Parse("/etc/fstab", Fixtures.Read("config/debian12/fstab"), problems);
        var hardened = FstabParser.Parse("/etc/fstab", Fixtures.Read("config/hardened/fstab"), problems);

        Assert.Equal(["/", "/boot/efi", "/media/cdrom0", "swap UUID=a7f3e7c2-1d2e-4b5f-8e3a-2c9d4b6f7a81"], debian.Keys);
        Assert.Equal(new FstabEntry("UUID=0a4d8d34-5c4a-4c7a-9f51-0b2b1f0e3c11", "ext4", "errors=remount-ro", "0", "1"), debian["/"]);
        Assert.Equal("rw,nosuid,nodev,noexec,mode=1777", hardened["/tmp"].Options);
        Assert.Empty(problems.ByFile);
    }

    [Fact]
    public void Malformed_fstab_lines_and_repeated_mount_points_are_problems()
    {
        var problems = new ConfigProblems();

        var entries = FstabParser.Parse("/etc/fstab", Fixtures.Read("config/malformed/fstab"), problems);

        Assert.Equal("xfs", entries["/data"].Type);
        Assert.Equal(2, problems.ByFile["/etc/fstab"].Count);
        Assert.StartsWith("line 1: expected", problems.ByFile["/etc/fstab"][0], StringComparison.Ordinal);
        Assert.Equal("line 3: /data is listed again; the later entry is recorded", problems.ByFile["/etc/fstab"][1]);
    }

    [Fact]
    public void Limits_are_keyed_by_domain_type_and_item()
    {
        var problems = new ConfigProblems();

        var debian = LimitsConfigParser.Parse("/etc/security/limits.conf", Fixtures.Read("config/debian12/limits.conf"), problems).ToList();
        var hardened = LimitsConfigParser.Parse("/etc/security/limits.d/10-hardening.conf", Fixtures.Read("config/hardened/limits.d-10-hardening.conf"), problems).ToList();
        var malformed = LimitsConfigParser.Parse("/etc/security/limits.conf", Fixtures.Read("config/malformed/limits.conf"), problems).ToList();

        Assert.Empty(debian);
        Assert.Equal([("* hard core", "0"), ("* soft core", "0"), ("@users - maxlogins", "4")], hardened);
        Assert.Equal([("* soft nofile", "1024")], malformed);
        Assert.Equal(2, problems.ByFile["/etc/security/limits.conf"].Count);
    }

    [Fact]
    public void Modprobe_reads_blacklists_install_commands_and_accumulated_options()
    {
        var problems = new ConfigProblems();
        var settings = new ModprobeSettings(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));

        ModprobeConfigParser.Parse("/etc/modprobe.d/dev-sec.conf", Fixtures.Read("config/hardened/modprobe.d-dev-sec.conf"), settings, problems);
        ModprobeConfigParser.Parse("/etc/modprobe.d/bad.conf", Fixtures.Read("config/malformed/modprobe.conf"), settings, problems);

        Assert.Equal("/bin/true", settings.Install["cramfs"]);
        Assert.Equal(["firewire-core", "usb-storage"], settings.Blacklist.Keys);
        Assert.Equal("disable=1 autoconf=0", settings.Options["ipv6"]);
        Assert.Equal(3, problems.ByFile["/etc/modprobe.d/bad.conf"].Count);
    }

    [Fact]
    public async Task The_config_section_applies_sysctl_precedence_and_includes_under_a_root()
    {
        using var root = new FixtureRoot();
        root.Write("/etc/ssh/sshd_config", Fixtures.Read("config/hardened/sshd_config"));
        root.Write("/etc/ssh/sshd_config.d/50-cloud.conf", Fixtures.Read("config/hardened/sshd_config.d-50-cloud.conf"));
        root.Write("/usr/lib/sysctl.d/99-protect-links.conf", Fixtures.Read("config/debian12/usr-lib-sysctl.d-99-protect-links.conf"));
        root.Write("/usr/lib/sysctl.d/99-hardening.conf", "kernel.sysrq = 1\n");
        root.Write("/etc/sysctl.d/99-hardening.conf", Fixtures.Read("config/hardened/sysctl.d-99-hardening.conf"));
        root.Write("/etc/fstab", Fixtures.Read("config/malformed/fstab"));

        var config = Fixtures.Section(await root.SnapshotAsync("config"), "config");

        Assert.Equal("3", Fixtures.At(config, "sshd", "MaxAuthTries").GetString());
        // /etc/sysctl.d/99-hardening.conf hides /usr/lib's file of the same name; files apply in name order, so
        // 99-protect-links.conf, read after 99-hardening.conf, has the last word on fs.protected_fifos.
        Assert.False(config.GetProperty("sysctl").TryGetProperty("kernel.sysrq", out _));
        Assert.Equal("2", Fixtures.At(config, "sysctl", "kernel.yama.ptrace_scope", "value").GetString());
        Assert.Equal("1", Fixtures.At(config, "sysctl", "fs.protected_fifos", "value").GetString());
        Assert.Equal("/usr/lib/sysctl.d/99-protect-links.conf", Fixtures.At(config, "sysctl", "fs.protected_fifos", "file").GetString());
        Assert.Equal("1", Fixtures.At(config, "sysctl", "fs.protected_symlinks", "value").GetString());
        Assert.False(Fixtures.At(config, "sysctl", "fs.protected_fifos").TryGetProperty("live", out _));
        Assert.Equal(JsonValueKind.Array, Fixtures.At(config, "problems", "/etc/fstab").ValueKind);
        Assert.Equal("99999", Fixtures.At(config, "loginDefs", "PASS_MAX_DAYS").GetString());
    }
}
