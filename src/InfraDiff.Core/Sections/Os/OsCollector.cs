using System.Text.RegularExpressions;
using InfraDiff.Host;

namespace InfraDiff.Sections.Os;

/// <summary>The <c>os</c> section: hostname, os-release, kernel, security sysctls, kernel modules, mounts.</summary>
internal sealed partial class OsCollector(OsCollectorOptions options) : ICollector
{
    private readonly OsCollectorOptions options = Validated(options);

    private static OsCollectorOptions Validated(OsCollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static readonly string[] LiveParts = ["kernel", "sysctls", "modules", "mounts"];

    public string Name => OsSection.Instance.Name;

    public SectionDescriptor Section => OsSection.Instance;

    public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        var files = context.Files;
        if (context.Kernel is not { } kernel)
        {
            // A /proc mounted inside the tree is this machine's kernel, not the image's: never read it as the image's.
            foreach (var part in LiveParts)
            {
                context.ReportUnavailable(part, "the running kernel's state belongs to the live host, not to the files under a root directory (the configured sysctls are in the config section)");
            }

            return Task.FromResult<object>(new OsModel(HostName(context), ReadRelease(context), null, null, null, null));
        }

        var section = new OsModel(
            Hostname: HostName(context),
            Release: ReadRelease(context),
            Kernel: Part(context, "kernel", () => ReadKernel(context, kernel)),
            Sysctls: Part(context, "sysctls", () => ReadSysctls(context, kernel)),
            Modules: Part(context, "modules", () => ReadModules(context, kernel)),
            Mounts: Part(context, "mounts", () => ReadMounts(context, kernel)));
        return Task.FromResult<object>(section);
    }

    /// <summary>One live part; a file of it this process may not read (a container's masked /proc) makes the part unavailable, with why.</summary>
    private static T? Part<T>(CollectionContext context, string part, Func<T?> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            context.ReportUnavailable(part, ex.Message);
            return null;
        }
    }

    /// <summary>The host's name; a hostname file that cannot be read (a FIFO, a folder, a loop, 70 MB) is a failed part.</summary>
    private static string? HostName(CollectionContext context)
    {
        try
        {
            return context.Files.ReadHostName();
        }
        catch (Exception ex) when (ex is HostFileException or UnauthorizedAccessException)
        {
            context.ReportFailed("hostname", ex.Message);
            return null;
        }
    }

    private static OsRelease? ReadRelease(CollectionContext context)
    {
        // os-release(5): /etc/os-release wins, /usr/lib/os-release is the fallback.
        var text = context.ReadTextOrReport("/etc/os-release", "release") ?? context.ReadTextOrReport("/usr/lib/os-release", "release");
        if (text is null)
        {
            context.ReportUnavailable("release", "no /etc/os-release or /usr/lib/os-release");
            return null;
        }

        var values = OsReleaseParser.Parse(text);
        return new OsRelease(values.GetValueOrDefault("ID"), values.GetValueOrDefault("VERSION_ID"), values.GetValueOrDefault("PRETTY_NAME"));
    }

    private static KernelInfo? ReadKernel(CollectionContext context, IHostFileSystem kernel)
    {
        var release = kernel.ReadTextOrNull("/proc/sys/kernel/osrelease")?.Trim();
        if (release is null)
        {
            context.ReportUnavailable("kernel", "no /proc/sys/kernel under the root");
            return null;
        }

        return new KernelInfo(
            release,
            kernel.ReadTextOrNull("/proc/sys/kernel/version")?.Trim(),
            kernel.ReadTextOrNull("/proc/sys/kernel/arch")?.Trim());
    }

    private SortedDictionary<string, string>? ReadSysctls(CollectionContext context, IHostFileSystem kernel)
    {
        if (!kernel.DirectoryExists("/proc/sys"))
        {
            context.ReportUnavailable("sysctls", "no /proc/sys under the root");
            return null;
        }

        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in options.Sysctls)
        {
            string? value;
            try
            {
                value = kernel.ReadTextOrNull("/proc/sys/" + name.Replace('.', '/'));
            }
            catch (UnauthorizedAccessException)
            {
                // One this process may not read (net.core.bpf_* need CAP_SYS_ADMIN, which a sandboxed unit drops) is
                // unavailable on its own, not compared, and the others still are.
                context.ReportUnavailable($"sysctls/{name}", "this process may not read it");
                continue;
            }

            // A parameter this kernel lacks is left out rather than recorded as empty.
            if (value is not null)
            {
                values[name] = Whitespace().Replace(value.Trim(), " ");
            }
        }

        return values;
    }

    private static SortedDictionary<string, bool>? ReadModules(CollectionContext context, IHostFileSystem kernel)
    {
        IEnumerable<string> names;
        if (kernel.ReadTextOrNull("/proc/modules") is { } procModules)
        {
            names = procModules.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]);
        }
        else if (kernel.DirectoryExists("/sys/module"))
        {
            // Without /proc/modules (containers), a loadable module is a /sys/module entry with an initstate file.
            names = kernel.ListDirectories("/sys/module")
                .Where(d => kernel.FileExists(d + "/initstate"))
                .Select(Path.GetFileName).OfType<string>();
        }
        else
        {
            context.ReportUnavailable("modules", "neither /proc/modules nor /sys/module under the root");
            return null;
        }

        return new SortedDictionary<string, bool>(names.Distinct().ToDictionary(n => n, _ => true), StringComparer.Ordinal);
    }

    private static SortedDictionary<string, MountEntry>? ReadMounts(CollectionContext context, IHostFileSystem kernel)
    {
        // The host's mounts are init's: in a container on the host's PID namespace this process's are the container's,
        // and a systemd unit's sandbox (ProtectSystem=, PrivateTmp=, StateDirectory=) is a mount namespace of its own.
        // Reading init's needs ptrace access to it; without, the live host's are this process's own.
        var source = "/proc/1/mountinfo";
        var text = ReadOrNull(source);
        if (text is null && context.IsLiveHost)
        {
            source = "/proc/self/mountinfo";
            text = ReadOrNull(source);
        }

        if (text is null)
        {
            context.ReportUnavailable("mounts", $"no {source}");
            return null;
        }

        return MountInfoParser.Parse(text);

        string? ReadOrNull(string path)
        {
            try
            {
                return kernel.ReadTextOrNull(path);
            }
            catch (UnauthorizedAccessException) when (context.IsLiveHost)
            {
                return null;
            }
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

internal sealed record OsModel(
    string? Hostname,
    OsRelease? Release,
    KernelInfo? Kernel,
    SortedDictionary<string, string>? Sysctls,
    SortedDictionary<string, bool>? Modules,
    SortedDictionary<string, MountEntry>? Mounts);

internal sealed record OsRelease(string? Id, string? VersionId, string? PrettyName);

internal sealed record KernelInfo(string Release, string? Version, string? Machine);
