using System.Text.RegularExpressions;
using InfraDiff.Collection;

namespace InfraDiff.Collectors.Os;

/// <summary>The <c>os</c> section: hostname, os-release, kernel, security sysctls, kernel modules, mounts.</summary>
internal sealed partial class OsCollector(OsCollectorOptions options) : ICollector
{
    private static readonly string[] LiveParts = ["kernel", "sysctls", "modules", "mounts"];

    public string Name => "os";

    public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        var files = context.Files;
        if (!context.IsLiveHost)
        {
            // A /proc mounted inside the tree is this machine's kernel, not the image's: never read it as the image's.
            foreach (var part in LiveParts)
            {
                context.ReportUnavailable(part, "the running kernel's state belongs to the live host, not to --root (the configured sysctls are in the config section)");
            }

            return Task.FromResult<object>(new OsSection(files.ReadHostName(), ReadRelease(context), null, null, null, null));
        }

        var section = new OsSection(
            Hostname: files.ReadHostName(),
            Release: ReadRelease(context),
            Kernel: ReadKernel(context),
            Sysctls: ReadSysctls(context),
            Modules: ReadModules(context),
            Mounts: ReadMounts(context));
        return Task.FromResult<object>(section);
    }

    private static OsRelease? ReadRelease(CollectionContext context)
    {
        // os-release(5): /etc/os-release wins, /usr/lib/os-release is the fallback.
        var text = context.Files.ReadTextOrNull("/etc/os-release") ?? context.Files.ReadTextOrNull("/usr/lib/os-release");
        if (text is null)
        {
            context.ReportUnavailable("release", "no /etc/os-release or /usr/lib/os-release");
            return null;
        }

        var values = OsReleaseParser.Parse(text);
        return new OsRelease(values.GetValueOrDefault("ID"), values.GetValueOrDefault("VERSION_ID"), values.GetValueOrDefault("PRETTY_NAME"));
    }

    private static KernelInfo? ReadKernel(CollectionContext context)
    {
        var release = context.Files.ReadTextOrNull("/proc/sys/kernel/osrelease")?.Trim();
        if (release is null)
        {
            context.ReportUnavailable("kernel", "no /proc/sys/kernel under the root");
            return null;
        }

        return new KernelInfo(
            release,
            context.Files.ReadTextOrNull("/proc/sys/kernel/version")?.Trim(),
            context.Files.ReadTextOrNull("/proc/sys/kernel/arch")?.Trim());
    }

    private SortedDictionary<string, string>? ReadSysctls(CollectionContext context)
    {
        if (!context.Files.DirectoryExists("/proc/sys"))
        {
            context.ReportUnavailable("sysctls", "no /proc/sys under the root");
            return null;
        }

        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in options.Sysctls)
        {
            // A parameter this kernel lacks is left out rather than recorded as empty.
            if (context.Files.ReadTextOrNull("/proc/sys/" + name.Replace('.', '/')) is { } value)
            {
                values[name] = Whitespace().Replace(value.Trim(), " ");
            }
        }

        return values;
    }

    private static SortedDictionary<string, bool>? ReadModules(CollectionContext context)
    {
        IEnumerable<string> names;
        if (context.Files.ReadTextOrNull("/proc/modules") is { } procModules)
        {
            names = procModules.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]);
        }
        else if (context.Files.DirectoryExists("/sys/module"))
        {
            // Without /proc/modules (containers), a loadable module is a /sys/module entry with an initstate file.
            names = context.Files.ListDirectories("/sys/module")
                .Where(d => context.Files.FileExists(d + "/initstate"))
                .Select(Path.GetFileName).OfType<string>();
        }
        else
        {
            context.ReportUnavailable("modules", "neither /proc/modules nor /sys/module under the root");
            return null;
        }

        return new SortedDictionary<string, bool>(names.Distinct().ToDictionary(n => n, _ => true), StringComparer.Ordinal);
    }

    private static SortedDictionary<string, MountEntry>? ReadMounts(CollectionContext context)
    {
        var text = context.Files.ReadTextOrNull("/proc/self/mountinfo");
        if (text is null)
        {
            context.ReportUnavailable("mounts", "no /proc/self/mountinfo under the root");
            return null;
        }

        return MountInfoParser.Parse(text);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

internal sealed record OsSection(
    string? Hostname,
    OsRelease? Release,
    KernelInfo? Kernel,
    SortedDictionary<string, string>? Sysctls,
    SortedDictionary<string, bool>? Modules,
    SortedDictionary<string, MountEntry>? Mounts);

internal sealed record OsRelease(string? Id, string? VersionId, string? PrettyName);

internal sealed record KernelInfo(string Release, string? Version, string? Machine);
