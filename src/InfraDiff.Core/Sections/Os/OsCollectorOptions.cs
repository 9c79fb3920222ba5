using InfraDiff.Validation;

namespace InfraDiff.Sections.Os;

/// <summary>What the <c>os</c> collector reads beyond the fixed facts.</summary>
public sealed record OsCollectorOptions : IValidatedOptions
{
    /// <summary>
    /// The security-relevant kernel parameters recorded by default: forwarding and redirects (a host turned
    /// router), reverse-path filtering, address-space randomisation, pointer and log exposure, ptrace and BPF
    /// restrictions, and the fs.protected_* link and FIFO protections.
    /// </summary>
    public static IReadOnlyList<string> DefaultSysctls { get; } =
    [
        "fs.protected_fifos",
        "fs.protected_hardlinks",
        "fs.protected_regular",
        "fs.protected_symlinks",
        "fs.suid_dumpable",
        "kernel.dmesg_restrict",
        "kernel.kexec_load_disabled",
        "kernel.kptr_restrict",
        "kernel.modules_disabled",
        "kernel.perf_event_paranoid",
        "kernel.randomize_va_space",
        "kernel.sysrq",
        "kernel.unprivileged_bpf_disabled",
        "kernel.unprivileged_userns_clone",
        "kernel.yama.ptrace_scope",
        "net.core.bpf_jit_harden",
        "net.ipv4.conf.all.accept_redirects",
        "net.ipv4.conf.all.accept_source_route",
        "net.ipv4.conf.all.log_martians",
        "net.ipv4.conf.all.rp_filter",
        "net.ipv4.conf.all.secure_redirects",
        "net.ipv4.conf.all.send_redirects",
        "net.ipv4.conf.default.accept_redirects",
        "net.ipv4.conf.default.accept_source_route",
        "net.ipv4.conf.default.rp_filter",
        "net.ipv4.icmp_echo_ignore_broadcasts",
        "net.ipv4.ip_forward",
        "net.ipv4.tcp_syncookies",
        "net.ipv6.conf.all.accept_ra",
        "net.ipv6.conf.all.accept_redirects",
        "net.ipv6.conf.all.forwarding",
        "net.ipv6.conf.default.accept_redirects",
        "user.max_user_namespaces",
    ];

    /// <summary>The kernel parameters to record: the defaults plus any a configuration adds.</summary>
    public IReadOnlyList<string> Sysctls { get; set; } = DefaultSysctls;

    /// <summary>Checks every option; called by everything that takes these options, and by the options pattern at start.</summary>
    /// <exception cref="InvalidOptionException">An option has a value it cannot take; the message names it.</exception>
    public void Validate() => OptionChecks.ThrowIfInvalid(this);

    IEnumerable<InvalidOptionException> IValidatedOptions.Problems() =>
        new[]
        {
            Sysctls?.FirstOrDefault(s => !IsSysctlName(s)) is { } bad ? new InvalidOptionException("OsCollectorOptions.Sysctls", $"'{Excerpt.Cut(bad)}' is not a kernel parameter name (dotted, like net.ipv4.ip_forward)") : null,
        }.OfType<InvalidOptionException>();

    /// <summary>Dotted names of letters, digits, '_' and '-' (the /proc/sys path with dots): nothing that could climb out of /proc/sys.</summary>
    private static bool IsSysctlName(string name) =>
        !string.IsNullOrEmpty(name) && name.Split('.').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));
}
