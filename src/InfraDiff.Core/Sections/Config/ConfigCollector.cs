using System.IO.Enumeration;
using InfraDiff.Host;

namespace InfraDiff.Sections.Config;

/// <summary>
/// The <c>config</c> section: the files that decide a host's security posture, parsed into keyed settings so a
/// change reads "sshd PasswordAuthentication: yes → no" rather than "content changed". A line a parser cannot read
/// is recorded under <c>problems</c> with its file and line.
/// </summary>
internal sealed class ConfigCollector : ICollector
{
    // Highest precedence first; a file name in an earlier directory hides the same name in a later one (sysctl.d(5)).
    private static readonly string[] SysctlDirectories = ["/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"];

    private static readonly string[] ModprobeDirectories = ["/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d"];

    private static readonly string[] LeftoverSuffixes = [".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-bak", ".rpmsave", ".rpmnew", ".rpmorig", "~"];

    public string Name => ConfigSection.Instance.Name;


    public SectionDescriptor Section => ConfigSection.Instance;

    public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken = default)
    {
        var problems = new ConfigProblems();
        var section = new SortedDictionary<string, object>(StringComparer.Ordinal);
        Add(section, "sshd", Sshd(context, problems));
        Add(section, "sysctl", Sysctl(context, problems));
        Add(section, "loginDefs", Read(context, "/etc/login.defs", "loginDefs") is { } loginDefs ? LoginDefsParser.Parse("/etc/login.defs", loginDefs, problems) : null);
        Add(section, "pam", Pam(context, problems));
        Add(section, "fstab", Read(context, "/etc/fstab", "fstab") is { } fstab ? FstabParser.Parse("/etc/fstab", fstab, problems) : null);
        Add(section, "limits", Limits(context, problems));
        Add(section, "modprobe", Modprobe(context, problems));
        if (problems.ByFile.Count > 0)
        {
            section["problems"] = problems.ByFile;
        }

        return Task.FromResult<object>(section);
    }

    private static void Add(SortedDictionary<string, object> section, string key, object? value)
    {
        if (value is not null)
        {
            section[key] = value;
        }
    }

    private static string? Read(CollectionContext context, string hostPath, string part) => context.ReadTextOrReport(hostPath, part);

    private static SortedDictionary<string, object>? Sshd(CollectionContext context, ConfigProblems problems)
    {
        const string main = "/etc/ssh/sshd_config";
        return Read(context, main, "sshd") is { } text ? SshdConfigParser.Parse(main, text, Include, problems) : null;

        IEnumerable<(string, string)> Include(string pattern)
        {
            // Relative Include paths are taken from /etc/ssh; a wildcard may stand in the file name.
            var path = pattern.StartsWith('/') ? pattern : "/etc/ssh/" + pattern;
            var directory = Path.GetDirectoryName(path) ?? "/";
            var name = Path.GetFileName(path);
            var matches = name.Contains('*', StringComparison.Ordinal) || name.Contains('?', StringComparison.Ordinal)
                ? context.Files.ListFiles(directory).Where(f => FileSystemName.MatchesSimpleExpression(name, Path.GetFileName(f), ignoreCase: false))
                : [path];
            foreach (var file in matches)
            {
                if (Read(context, file, "sshd") is { } included)
                {
                    yield return (file, included);
                }
            }
        }
    }

    private static SortedDictionary<string, SysctlSetting>? Sysctl(CollectionContext context, ConfigProblems problems)
    {
        var files = DropIns(context, SysctlDirectories, ".conf").Append("/etc/sysctl.conf").ToList();
        var settings = new SortedDictionary<string, SysctlSetting>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var (key, value) in Read(context, file, "sysctl") is { } text ? SysctlConfigParser.Parse(file, text, problems) : [])
            {
                settings[key] = new SysctlSetting(value, file, null);
            }
        }

        if (context.Kernel is { } kernel)
        {
            // Configured beside live: a value set in a file but not in the kernel (or changed since boot) is visible.
            foreach (var (key, setting) in settings.Where(s => !s.Key.Contains('*', StringComparison.Ordinal)).ToList())
            {
                var live = LiveValue(kernel, key);
                settings[key] = setting with { Live = live is null ? null : ConfigLines.Collapse(live) };
            }
        }

        return settings.Count == 0 && !files.Any(context.Files.FileExists) ? null : settings;
    }

    /// <summary>A parameter's value in the running kernel; null when the kernel has none or it cannot be read (write-only parameters exist).</summary>
    private static string? LiveValue(IHostFileSystem kernel, string key)
    {
        try
        {
            return kernel.ReadTextOrNull("/proc/sys/" + key.Replace('.', '/'));
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }

    private static SortedDictionary<string, List<string>>? Pam(CollectionContext context, ConfigProblems problems)
    {
        if (!context.Files.DirectoryExists("/etc/pam.d"))
        {
            return null;
        }

        var services = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in context.Files.ListFiles("/etc/pam.d").Where(f => !IsLeftover(f)))
        {
            if (Read(context, file, "pam/" + JsonPointer.Escape(Path.GetFileName(file))) is { } text)
            {
                services[Path.GetFileName(file)] = PamConfigParser.Parse(file, text, problems);
            }
        }

        return services;
    }

    private static SortedDictionary<string, LimitSetting>? Limits(CollectionContext context, ConfigProblems problems)
    {
        var files = context.Files.ListFiles("/etc/security/limits.d").Where(f => f.EndsWith(".conf", StringComparison.Ordinal)).Prepend("/etc/security/limits.conf").ToList();
        var limits = new SortedDictionary<string, LimitSetting>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var (key, value) in Read(context, file, "limits") is { } text ? LimitsConfigParser.Parse(file, text, problems) : [])
            {
                limits[key] = new LimitSetting(value, file);
            }
        }

        return limits.Count == 0 && !files.Any(context.Files.FileExists) ? null : limits;
    }

    private static ModprobeSettings? Modprobe(CollectionContext context, ConfigProblems problems)
    {
        var files = DropIns(context, ModprobeDirectories, ".conf");
        if (files.Count == 0)
        {
            return null;
        }

        var settings = new ModprobeSettings(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        foreach (var file in files)
        {
            if (Read(context, file, "modprobe") is { } text)
            {
                ModprobeConfigParser.Parse(file, text, settings, problems);
            }
        }

        return settings;
    }

    /// <summary>The drop-in files of a set of directories in the order they apply: sorted by file name, a name in an earlier directory hiding it in later ones.</summary>
    private static List<string> DropIns(CollectionContext context, string[] directories, string suffix)
    {
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in directories.SelectMany(context.Files.ListFiles).Where(f => f.EndsWith(suffix, StringComparison.Ordinal)))
        {
            byName.TryAdd(Path.GetFileName(file), file);
        }

        return [.. byName.Values];
    }

    private static bool IsLeftover(string path) => LeftoverSuffixes.Any(s => path.EndsWith(s, StringComparison.Ordinal));
}
