namespace InfraDiff.Sections.Os;

/// <summary>What the <c>os</c> section means: the release, the running kernel, its sysctls, modules and mounts, the hostname.</summary>
internal sealed class OsSection : SectionDescriptor
{
    public static OsSection Instance { get; } = new();

    private OsSection()
        : base("os")
    {
        Inputs = ["/etc/os-release", "/usr/lib/os-release", "/etc/hostname"];
        Nouns =
        [
            new("sysctls", "sysctl"), new("modules", "kernel module"), new("mounts", "mount"),
            new("release", "os release", keyed: false), new("kernel", "kernel", keyed: false), new("hostname", "hostname", keyed: false),
        ];
        SeverityRules =
        [
            // A hardening setting turned off on the running kernel.
            SeverityRule.Of("/os/sysctls/kernel.modules_disabled", Severity.High, [], "new == 0"),
            SeverityRule.Of("/os/sysctls/kernel.yama.ptrace_scope", Severity.High, [], "new == 0"),
            SeverityRule.Of("/os", Severity.Medium),
        ];
    }
}
