using InfraDiff.Validation;

namespace InfraDiff.Sections.Files;

/// <summary>What the <c>files</c> collector scans and how it remembers hashes between runs.</summary>
public sealed record FilesCollectorOptions : IValidatedOptions
{
    /// <summary>
    /// The roots scanned by default: configuration, all of /usr (binaries, libraries, helpers such as ssh-keysign),
    /// boot files, root's home, add-on software, served data and user crontabs. /bin, /sbin and /lib are /usr on a
    /// merged-/usr system and are recorded there as symlinks.
    /// </summary>
    public static IReadOnlyList<string> DefaultRoots { get; } =
        ["/etc", "/usr", "/boot", "/root", "/opt", "/srv", "/var/spool/cron", "/bin", "/sbin", "/lib", "/lib64"];

    /// <summary>
    /// Caches in a home directory, excluded by default in root's and under /home: download and build caches that
    /// tools rewrite on every use (npm, NuGet, Cargo, rustup, Maven, Gradle, Go modules, Ansible's temporary files,
    /// the XDG cache) and .NET's first-use markers. Installed tools (~/.dotnet/tools, ~/.cargo/bin, ~/go/bin) are not caches and stay.
    /// </summary>
    public static IReadOnlyList<string> HomeCaches { get; } =
    [
        ".cache",
        ".npm",
        ".nuget/packages",
        ".local/share/NuGet",
        ".dotnet/*Sentinel",
        ".dotnet/*.sentinel",
        ".dotnet/TelemetryStorageService",
        ".cargo/registry",
        ".cargo/git",
        ".rustup/downloads",
        ".rustup/tmp",
        ".m2/repository",
        ".gradle/caches",
        ".gradle/wrapper/dists",
        "go/pkg/mod",
        ".ansible/tmp",
        ".local/share/*/cache",
    ];

    /// <summary>
    /// Files the system rewrites on its own, excluded by default: /etc/mtab (a view of the mount table),
    /// /etc/adjtime (hwclock's drift record), /etc/ld.so.cache (ldconfig's cache, rebuilt on every library
    /// install), /etc/resolv.conf (rewritten by DHCP and resolvers; the network section records its
    /// content), /etc/.pwd.lock (shadow's lock file), the "-" backups that shadow tools write beside
    /// passwd, group, shadow and gshadow, LVM's metadata archive and backup, CUPS's subscription state,
    /// GRUB's boot-time environment block, and what root's shell and tools rewrite in its home (histories,
    /// caches, less and vim state); in root's home and in /home's (when a root scans /home), the download caches of
    /// package managers and toolchains (<see cref="HomeCaches"/>), which change whenever anyone builds anything.
    /// </summary>
    public static IReadOnlyList<string> DefaultExcludes { get; } =
    [
        "/etc/mtab",
        "/etc/adjtime",
        "/etc/ld.so.cache",
        "/etc/resolv.conf",
        "/etc/.pwd.lock",
        "/etc/passwd-",
        "/etc/group-",
        "/etc/shadow-",
        "/etc/gshadow-",
        "/etc/subuid-",
        "/etc/subgid-",
        "/etc/lvm/archive",
        "/etc/lvm/backup",
        "/etc/lvm/cache",
        "/etc/cups/subscriptions.conf*",
        "/boot/grub/grubenv",
        "/root/.*_history",
        "/root/.lesshst",
        "/root/.viminfo",
        "/root/.wget-hsts",
        .. HomeCaches.SelectMany(c => new[] { $"/root/{c}", $"/home/*/{c}" }),
    ];

    /// <summary>The directories (or files) to scan, as host paths.</summary>
    public IReadOnlyList<string> Roots { get; set; } = DefaultRoots;

    /// <summary>Paths to leave out: globs where "*" matches within a name and "**" across directories; a match excludes everything beneath it.</summary>
    public IReadOnlyList<string> Excludes { get; set; } = DefaultExcludes;

    /// <summary>Where the stat cache lives: $XDG_CACHE_HOME/infradiff, else ~/.cache/infradiff.</summary>
    public string CacheDirectory { get; set; } = Host.CacheDirectory.Default();

    /// <summary>Reuse a file's hash when its device, inode, size, mtime and ctime are unchanged; false hashes everything and keeps no cache.</summary>
    public bool UseCache { get; set; } = true;

    /// <summary>
    /// Record the package that owns each file (dpkg, rpm or apk) and whether its content still matches the digest
    /// the package shipped (<c>verified</c>); the package's digest is computed in the same read as the SHA-256.
    /// </summary>
    public bool VerifyPackages { get; set; } = true;

    /// <summary>Descend into filesystems mounted below a root (by default each root stays on its own filesystem).</summary>
    public bool CrossFilesystems { get; set; }

    /// <summary>At most this many bytes a second are read to hash files, all threads together; null: as fast as the disk goes. So a full scan never crowds out the host's own reads.</summary>
    public long? MaxReadRate { get; set; }

    /// <summary>How many threads hash files; null: one a core.</summary>
    public int? Threads { get; set; }

    /// <summary>Told how many files and bytes have been hashed, a few times a second, while hashing.</summary>
    public IProgress<FileHashProgress>? Progress { get; set; }

    /// <summary>Checks every option; called by everything that takes these options, and by the options pattern at start.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take; the message names it.</exception>
    public void Validate() => OptionChecks.ThrowIfInvalid(this);

    IEnumerable<InvalidOptionException> IValidatedOptions.Problems() =>
        new[]
        {
            Roots is null || Roots.Count == 0 ? new InvalidOptionException("FilesCollectorOptions.Roots", "needs at least one path") : Roots.Select(r => OptionChecks.AbsolutePath("FilesCollectorOptions.Roots", r)).FirstOrDefault(p => p is not null),
            Excludes?.Select(e => OptionChecks.AbsolutePath("FilesCollectorOptions.Excludes", e)).FirstOrDefault(p => p is not null),
            OptionChecks.NotEmpty("FilesCollectorOptions.CacheDirectory", CacheDirectory),
            MaxReadRate is < 1 << 20 ? new InvalidOptionException("FilesCollectorOptions.MaxReadRate", $"must be at least 1M a second, not {MaxReadRate} bytes") : null,
            Threads is < 1 or > 256 ? new InvalidOptionException("FilesCollectorOptions.Threads", $"must be from 1 to 256, not {Threads}") : null,
        }.OfType<InvalidOptionException>();
}
