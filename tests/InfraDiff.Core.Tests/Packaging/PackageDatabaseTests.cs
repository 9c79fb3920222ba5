using InfraDiff.Host;
using InfraDiff.Packaging;
using InfraDiff.Tests.Support;

namespace InfraDiff.Tests.Packaging;

/// <summary>The package database readers on real files: Debian 12's dpkg database, an Alpine installed database, rpm 4.18's query output.</summary>
public sealed class PackageDatabaseTests
{
    [Fact]
    public void Dpkg_lists_md5sums_conffiles_and_diversions_parse()
    {
        var list = DpkgDatabase.ParseList(Fixtures.Read("packages/debian12-coreutils.list")).ToList();
        var md5sums = DpkgDatabase.ParseMd5sums(Fixtures.Read("packages/debian12-coreutils.md5sums"));
        var status = DpkgDatabase.ParseStatus(Fixtures.Read("packages/debian12-status")).ToDictionary(p => p.Name, p => p.Conffiles);
        var diversions = DpkgDatabase.ParseDiversions(Fixtures.Read("packages/debian12-diversions"));

        Assert.Equal("/bin", list[0]);
        Assert.Contains("/bin/cat", list);
        Assert.Equal("7a4179e324c784b99e98fedee05260f7", md5sums["/bin/cat"]);
        Assert.Equal(["adduser", "coreutils", "dash", "openssh-server"], status.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("cc3493ecd2d09837ffdcc3e25fdfff18", status["adduser"]["/etc/adduser.conf"]);
        Assert.Contains("/etc/pam.d/sshd", status["openssh-server"].Keys);
        Assert.Equal(("/usr/share/man/man1/sh.distrib.1.gz", "dash"), diversions["/usr/share/man/man1/sh.1.gz"]);
    }

    [Fact]
    public void Dpkg_lines_that_are_not_entries_are_passed_over()
    {
        var md5sums = DpkgDatabase.ParseMd5sums("7A4179E324C784B99E98FEDEE05260F7  usr/bin/cat\r\nshort  usr/bin/x\n\n0123456789abcdef0123456789abcdef  usr/share/a b\n0123456789abcdef0123456789abcdef\n");
        var list = DpkgDatabase.ParseList("/.\n  /usr  \nrelative\n\n/usr/share/a b\n");

        Assert.Equal(["/usr/bin/cat", "/usr/share/a b"], md5sums.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("7a4179e324c784b99e98fedee05260f7", md5sums["/usr/bin/cat"]);
        Assert.Equal(["/usr", "/usr/share/a b"], list);
    }

    [Fact]
    public void A_dpkg_conffile_marked_obsolete_is_no_longer_the_packages()
    {
        var status = DpkgDatabase.ParseStatus("Package: p\nStatus: install ok installed\nConffiles:\n /etc/a 0123456789abcdef0123456789abcdef\n /etc/old 0123456789abcdef0123456789abcdef obsolete\n /etc/b 0123456789abcdef0123456789abcdef remove-on-upgrade\n\nPackage: gone\nStatus: deinstall ok config-files\n").ToList();

        var (name, conffiles) = Assert.Single(status);
        Assert.Equal("p", name);
        Assert.Equal(["/etc/a", "/etc/b"], conffiles.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dpkg_paths_are_keyed_where_they_are_on_a_merged_usr_root()
    {
        using var root = new FixtureRoot();
        Directory.CreateDirectory(root.Host("/usr/bin"));
        File.CreateSymbolicLink(root.Host("/bin"), "usr/bin");
        var files = new RootedFileSystem(root.Path);

        var onDisk = PackageFileIndex.OnDisk(files, [("/bin/ls", new PackageFile("coreutils", "00", false)), ("/etc/passwd", new PackageFile("base-passwd", null, true)), ("/nowhere/x", new PackageFile("ghost", null, false))]);

        Assert.Equal(["/etc/passwd", "/usr/bin/ls"], onDisk.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Apk_files_carry_their_q1_sha1_as_hex_and_etc_counts_as_configuration()
    {
        var files = ApkDatabase.Parse(Fixtures.Read("parsers/alpine-apk-installed.txt")).ToDictionary(f => f.Path, f => f.File);

        var ldconfig = files["/sbin/ldconfig"];
        Assert.Equal("musl-utils", ldconfig.Package);
        Assert.Equal(Convert.ToHexStringLower(Convert.FromBase64String("Kja2+POZKxEkUOZqwSjC6kmaED4=")), ldconfig.Digest);
        Assert.False(ldconfig.Conffile);
        Assert.Null(ApkDatabase.Sha1Hex("X1abc"));
        Assert.Null(ApkDatabase.Sha1Hex("Q1!!!"));
    }

    [Fact]
    public void Rpm_query_output_gives_files_digests_algorithm_and_config_flags()
    {
        var (algorithm, files) = RpmDatabase.Parse(Fixtures.Read("packages/rpm418-query-files.txt"));

        Assert.Equal(DigestAlgorithm.Sha256, algorithm);
        var byPath = files.ToDictionary(f => f.Path, f => f.File);
        Assert.True(byPath["/etc/t.conf"].Conffile);
        Assert.False(byPath["/usr/bin/t-0"].Conffile);
        Assert.Equal("299001868fb8c02fd431c336c6d058f5558c5dff5b5af5e6fe04b870a6a9cbba", byPath["/usr/bin/t-0"].Digest);
    }

    [Fact]
    public void An_old_rpm_database_uses_md5_and_garbage_is_refused()
    {
        var (algorithm, files) = RpmDatabase.Parse("bash\t/usr/bin/bash\t0123456789abcdef0123456789abcdef\t1\t0\nbash\t/etc/skel/.bashrc\t\t1\t17\n");

        Assert.Equal(DigestAlgorithm.Md5, algorithm);
        Assert.Null(files[1].File.Digest);
        Assert.Throws<FormatException>(() => RpmDatabase.Parse("error: rpmdb open failed\n"));
    }
}
