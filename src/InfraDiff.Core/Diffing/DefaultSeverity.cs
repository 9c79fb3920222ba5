namespace InfraDiff.Diffing;

/// <summary>
/// infradiff's default severity table, tried in order (the first match wins). Rules read the structured values,
/// never rendered text. Critical: a new way to be root or to get in. High: who can log in, what runs, what
/// listens, what executes from a system path. Medium: other configuration and software. Low: documentation.
/// </summary>
internal static class DefaultSeverity
{
    private const ChangeKind Add = ChangeKind.Add;
    private const ChangeKind Remove = ChangeKind.Remove;
    private const ChangeKind Replace = ChangeKind.Replace;

    // Directories whose files run as commands: a new or changed file there is someone's next command.
    private static readonly string[] CommandDirectories = ["/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin", "/usr/local/sbin", "/usr/libexec", "/usr/local/libexec"];

    private static readonly string[] LowFileTrees = ["/usr/share/doc", "/usr/share/man", "/usr/share/info", "/usr/share/locale", "/usr/share/zoneinfo", "/usr/share/icons", "/usr/share/i18n", "/usr/share/lintian"];

    private static readonly string[] PrivilegedGroups = ["root", "sudo", "wheel", "admin", "adm", "docker", "shadow", "disk"];

    private static readonly string[] RootGroups = ["root", "sudo", "wheel", "admin"];

    public static IReadOnlyList<SeverityRule> Rules { get; } =
    [
        // Critical: a new way to be root, or in, or a package's file that no longer matches its package (a package
        // change that accounts for it makes the change low before these rules are asked).
        R("/files/*", Severity.Critical, [Replace], "new.verified == false", "old.verified == true", "new.conffile != true"),
        R("/files/*", Severity.Medium, [Replace], "new.verified == false", "old.verified == true"),
        R("/users/accounts/*", Severity.Critical, [Add], "new.uid == 0"),
        R("/users/accounts/*/uid", Severity.Critical, [], "new == 0"),
        R("/files/*", Severity.Critical, [], "new.type == file", "new.mode & 4000", "old.mode !& 4000"),
        R("/files/*", Severity.Critical, [], "new.type == file", "new.mode & 2000", "old.mode !& 2000"),
        R("/files/*/mode", Severity.Critical, [], "new & 4000", "old !& 4000"),
        R("/files/*/mode", Severity.Critical, [], "new & 2000", "old !& 2000"),
        R("/files/~1etc~1ld.so.preload", Severity.Critical),
        R("/users/accounts/root/authorizedKeys", Severity.Critical, [Add]),
        R("/users/sudoers", Severity.Critical, [Add, Replace], @"new =~ NOPASSWD|=\s*(\([^)]*\)\s*)?ALL\b"),
        .. RootGroups.Select(g => R($"/users/groups/{g}/members", Severity.Critical, [Add])),
        R("/config/pam", Severity.Critical, [Add, Replace], @"new =~ \bpam_(permit|exec)\.so\b"),
        .. Sshd("PermitRootLogin", Severity.Critical, [Add, Replace], "new =~ (?i)^yes$"),
        .. Sshd("PasswordAuthentication", Severity.Critical, [Add, Replace], "new =~ (?i)^yes$"),
        .. Sshd("PasswordAuthentication", Severity.Critical, [Remove], "old =~ (?i)^no$"),
        .. Sshd("PermitEmptyPasswords", Severity.Critical, [Add, Replace], "new =~ (?i)^yes$"),
        .. Sshd("AuthorizedKeysCommand", Severity.Critical, [Add, Replace], "new !~ (?i)^none$"),
        R("/network/firewall/**/policy", Severity.Critical, [Replace], "new =~ (?i)^accept$"),
        R("/docker/containers/*/privileged", Severity.Critical, [], "new == true"),
        R("/docker/containers/*", Severity.Critical, [Add], "new.privileged == true"),

        // High: who can log in or get privileges, what runs on a schedule, what listens, what executes.
        R("/users/accounts", Severity.High),
        R("/users/sudoers", Severity.High),
        .. PrivilegedGroups.Select(g => R($"/users/groups/{g}", Severity.High)),
        R("/scheduled", Severity.High, [Add]),
        R("/scheduled/cron", Severity.High),
        R("/scheduled/scripts", Severity.High),
        R("/services/*", Severity.High, [Add], "path !~ ^/services/[^/]+/"),
        R("/services/*/unitFile", Severity.High, [Add, Replace], "new =~ ^enabled"),
        R("/network/listening/*", Severity.High, [Add], @"path !~ ~1(127\.|\[::1\]|\[::ffff:127\.)"),
        R("/network/firewall", Severity.High),
        R("/os/sysctls/kernel.modules_disabled", Severity.High, [], "new == 0"),
        R("/os/sysctls/kernel.yama.ptrace_scope", Severity.High, [], "new == 0"),
        .. LoosenedSysctl("kernel.modules_disabled"),
        .. LoosenedSysctl("kernel.yama.ptrace_scope"),
        .. Sshd("PermitRootLogin", Severity.High, []),
        .. Sshd("AuthorizedKeysFile", Severity.High, []),
        R("/config/pam", Severity.High),
        R("/docker/containers/*/capAdd", Severity.High),
        R("/files/*/mode", Severity.High, [], "new & 0002"),
        R("/files/*", Severity.High, [], "new.type != symlink", "new.mode & 0002", "old.mode !& 0002"),
        .. CommandDirectories.Select(d => R($"/files/{Escape(d)}~1*", Severity.High)),
        R("/files/~1root~1.ssh~1*", Severity.High),
        R("/files/~1etc~1ssh~1ssh_host_*", Severity.High),

        // Low: what no program reads to decide anything.
        .. LowFileTrees.Select(d => R($"/files/{Escape(d)}~1*", Severity.Low)),

        // Medium: other configuration and software.
        R("/users", Severity.Medium),
        R("/scheduled", Severity.Medium),
        R("/config", Severity.Medium),
        R("/os", Severity.Medium),
        R("/network", Severity.Medium),
        R("/packages", Severity.Medium),
        R("/services", Severity.Medium),
        R("/docker", Severity.Medium),
        R("/files", Severity.Medium),
    ];

    private static SeverityRule R(string path, Severity severity, ChangeKind[]? op = null, params string[] when) =>
        new(path, severity) { Op = op ?? [], When = when };

    /// <summary>An sshd keyword's rule, in the global settings and in every Match block.</summary>
    private static SeverityRule[] Sshd(string keyword, Severity severity, ChangeKind[] op, params string[] when) =>
        [R($"/config/sshd/{keyword}", severity, op, when), R($"/config/sshd/Match */{keyword}", severity, op, when)];

    /// <summary>A configured sysctl set to 0 (whole setting or its value) or no longer configured.</summary>
    private static SeverityRule[] LoosenedSysctl(string key) =>
    [
        R($"/config/sysctl/{key}/value", Severity.High, [], "new == 0"),
        R($"/config/sysctl/{key}", Severity.High, [Add], "new.value == 0"),
        R($"/config/sysctl/{key}", Severity.High, [Remove]),
    ];

    private static string Escape(string hostPath) => hostPath.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
