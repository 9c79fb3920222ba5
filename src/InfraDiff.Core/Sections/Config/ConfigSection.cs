namespace InfraDiff.Sections.Config;

/// <summary>What the <c>config</c> section means: sshd, sysctl, login.defs, PAM, fstab, limits and modprobe settings as configured.</summary>
internal sealed class ConfigSection : SectionDescriptor
{
    public static ConfigSection Instance { get; } = new();

    private ConfigSection()
        : base("config")
    {
        const ChangeKind Add = ChangeKind.Add;
        const ChangeKind Remove = ChangeKind.Remove;
        const ChangeKind Replace = ChangeKind.Replace;
        Inputs = ["/etc/ssh", "/etc/sysctl.conf", "/etc/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d", "/usr/local/lib/sysctl.d", "/etc/login.defs", "/etc/pam.d", "/etc/fstab", "/etc/security/limits.conf", "/etc/security/limits.d", "/etc/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d", "/usr/local/lib/modprobe.d"];
        Nouns =
        [
            new("sshd", "sshd", keyed: false), new("sysctl", "sysctl"), new("loginDefs", "login.defs", keyed: false), new("pam", "pam"),
            new("fstab", "fstab"), new("limits", "limit"), new("modprobe", "modprobe", keyed: false), new("problems", "unreadable config"),
        ];
        SeverityRules =
        [
            // A new way in: a PAM module that lets anyone in, sshd letting root or passwords in.
            SeverityRule.Of("/config/pam", Severity.Critical, [Add, Replace], @"new =~ \bpam_(permit|exec)\.so\b"),
            .. Sshd("PermitRootLogin", Severity.Critical, [Add, Replace], "new =~ (?i)^yes$"),
            .. Sshd("PasswordAuthentication", Severity.Critical, [Add, Replace], "new =~ (?i)^yes$"),
            .. Sshd("PasswordAuthentication", Severity.Critical, [Remove], "old =~ (?i)^no$"),
            .. Sshd("PermitEmptyPasswords", Severity.Critical, [Add, Replace], "new =~ (?i)^yes$"),
            .. Sshd("AuthorizedKeysCommand", Severity.Critical, [Add, Replace], "new !~ (?i)^none$"),

            // Hardening loosened, who may log in.
            .. LoosenedSysctl("kernel.modules_disabled"),
            .. LoosenedSysctl("kernel.yama.ptrace_scope"),
            .. Sshd("PermitRootLogin", Severity.High, []),
            .. Sshd("AuthorizedKeysFile", Severity.High, []),
            SeverityRule.Of("/config/pam", Severity.High),
            SeverityRule.Of("/config", Severity.Medium),
        ];
    }

    /// <summary>An sshd keyword's rule, in the global settings and in every Match block.</summary>
    private static SeverityRule[] Sshd(string keyword, Severity severity, ChangeKind[] op, params string[] when) =>
        [SeverityRule.Of($"/config/sshd/{keyword}", severity, op, when), SeverityRule.Of($"/config/sshd/Match */{keyword}", severity, op, when)];

    /// <summary>A configured sysctl set to 0 (whole setting or its value) or no longer configured.</summary>
    private static SeverityRule[] LoosenedSysctl(string key) =>
    [
        SeverityRule.Of($"/config/sysctl/{key}/value", Severity.High, [], "new == 0"),
        SeverityRule.Of($"/config/sysctl/{key}", Severity.High, [ChangeKind.Add], "new.value == 0"),
        SeverityRule.Of($"/config/sysctl/{key}", Severity.High, [ChangeKind.Remove]),
    ];
}
