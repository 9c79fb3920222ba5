using System.IO.Enumeration;
using InfraDiff.Host;

namespace InfraDiff.Sections.Services;

/// <summary>
/// What <c>systemctl list-unit-files</c> says, read from the unit directories themselves (systemd 252's rules): each
/// unit file found first along the search path, its state from what it is (a link to /dev/null is masked, a link to
/// another name an alias), from the enablement links in the configuration directories, else from its [Install]
/// section; and its vendor preset from the *.preset files. Reading them costs a few milliseconds where systemctl costs
/// most of a second; the two are compared on this host and on whole Debian roots by the tests.
/// </summary>
internal static class UnitFiles
{
    /// <summary>The system unit search path, highest precedence first (systemd-analyze unit-paths).</summary>
    private static readonly string[] SearchPath =
    [
        "/etc/systemd/system.control",
        "/run/systemd/system.control",
        "/run/systemd/transient",
        "/run/systemd/generator.early",
        "/etc/systemd/system",
        "/etc/systemd/system.attached",
        "/run/systemd/system",
        "/run/systemd/system.attached",
        "/run/systemd/generator",
        "/usr/local/lib/systemd/system",
        "/lib/systemd/system",
        "/usr/lib/systemd/system",
        "/run/systemd/generator.late",
    ];

    /// <summary>Where an enablement link makes a unit enabled (or enabled-runtime under /run).</summary>
    private static readonly string[] ConfigPath =
    [
        "/etc/systemd/system.control",
        "/run/systemd/system.control",
        "/etc/systemd/system",
        "/etc/systemd/system.attached",
        "/run/systemd/system",
        "/run/systemd/system.attached",
    ];

    private static readonly string[] GeneratorPath = ["/run/systemd/generator.early", "/run/systemd/generator", "/run/systemd/generator.late"];

    private static readonly string[] PresetPath =
    [
        "/etc/systemd/system-preset",
        "/run/systemd/system-preset",
        "/usr/local/lib/systemd/system-preset",
        "/lib/systemd/system-preset",
        "/usr/lib/systemd/system-preset",
    ];

    private static readonly string[] UnitSuffixes = [".service", ".socket", ".target", ".timer", ".path", ".mount", ".automount", ".swap", ".slice", ".scope", ".device"];

    /// <summary>Every unit file's state and preset; null when the root has none of systemd's unit directories.</summary>
    public static SortedDictionary<string, UnitFileState>? Read(IHostFileSystem files)
    {
        var directories = Directories(files, SearchPath);
        if (directories.Count == 0)
        {
            return null;
        }

        var found = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            foreach (var entry in Entries(directory))
            {
                if (IsUnitName(entry.Name) && !entry.IsDirectory)
                {
                    found.TryAdd(entry.Name, entry);
                }
            }
        }

        var links = EnablementLinks(files);
        var presets = Presets(files);
        var units = new SortedDictionary<string, UnitFileState>(StringComparer.Ordinal);
        foreach (var (name, entry) in found)
        {
            var state = State(files, name, entry, links);
            units[name] = new UnitFileState(state, state is "alias" or "static" or "generated" or "transient" ? null : Preset(presets, name));
        }

        return units;
    }

    private static string State(IHostFileSystem files, string name, Entry entry, Dictionary<string, bool> links)
    {
        var runtime = entry.Directory.HostPath.StartsWith("/run/", StringComparison.Ordinal);
        if (entry.LinkTarget == "/dev/null" || (entry.LinkTarget is null && entry.Length == 0))
        {
            return runtime ? "masked-runtime" : "masked";
        }

        if (entry.Directory.HostPath == "/run/systemd/transient")
        {
            return "transient";
        }

        if (GeneratorPath.Contains(entry.Directory.HostPath, StringComparer.Ordinal))
        {
            return "generated";
        }

        var unitPath = entry.Directory.HostPath + "/" + name;
        if (entry.LinkTarget is { } target)
        {
            var resolved = Resolve(files, unitPath);
            if (resolved is not null && Path.GetFileName(resolved) != name)
            {
                return "alias";
            }

            var targetDirectory = Path.GetDirectoryName(Absolute(entry.Directory.HostPath, target)) ?? "";
            if (!SearchPath.Contains(targetDirectory, StringComparer.Ordinal))
            {
                return runtime ? "linked-runtime" : "linked";
            }
        }

        // The unit file itself is read only where the links do not settle it: a template's default instance, or no link.
        var install = new Lazy<(bool HasRules, bool HasAlso, string? DefaultInstance)>(() => InstallSection(files, unitPath));
        if (IsTemplate(name) && install.Value.DefaultInstance is { } instance)
        {
            // A template is enabled by its default instance; other instances enabled make it indirect.
            var defaultName = name.Replace("@.", $"@{instance}.", StringComparison.Ordinal);
            if (links.TryGetValue(defaultName, out var defaultRuntime))
            {
                return defaultRuntime ? "enabled-runtime" : "enabled";
            }
        }

        if (links.TryGetValue(name, out var onlyRuntime))
        {
            return onlyRuntime ? "enabled-runtime" : "enabled";
        }

        if (IsTemplate(name) && links.Keys.Any(l => TemplateOf(l) == name))
        {
            return "indirect";
        }

        return install.Value.HasRules ? "disabled" : install.Value.HasAlso ? "indirect" : "static";
    }

    /// <summary>
    /// Names linked from the configuration directories (in *.wants, *.requires, *.upholds, or as an alias at the top),
    /// each with whether it is linked only under /run. An instance's link ("getty@tty1.service") names the instance
    /// only: whether that enables its template depends on the template's DefaultInstance=.
    /// </summary>
    private static Dictionary<string, bool> EnablementLinks(IHostFileSystem files)
    {
        var links = new Dictionary<string, bool>(StringComparer.Ordinal);
        void Add(string name, bool runtime)
        {
            links[name] = links.TryGetValue(name, out var before) ? before && runtime : runtime;
        }

        foreach (var directory in Directories(files, ConfigPath))
        {
            var runtime = directory.HostPath.StartsWith("/run/", StringComparison.Ordinal);
            foreach (var entry in Entries(directory))
            {
                if (entry.IsDirectory && (entry.Name.EndsWith(".wants", StringComparison.Ordinal) || entry.Name.EndsWith(".requires", StringComparison.Ordinal) || entry.Name.EndsWith(".upholds", StringComparison.Ordinal)))
                {
                    foreach (var link in Entries(new Directory(directory.HostPath + "/" + entry.Name, Path.Join(directory.RealPath, entry.Name))))
                    {
                        if (link.LinkTarget is { } target && target != "/dev/null")
                        {
                            // The link's name is what is enabled; its target, when named otherwise and not as the
                            // template of the instance the link names, is the unit behind an alias.
                            Add(link.Name, runtime);
                            var targetName = Path.GetFileName(target);
                            if (targetName != link.Name && TemplateOf(link.Name) != targetName)
                            {
                                Add(targetName, runtime);
                            }
                        }
                    }
                }
                else if (entry.LinkTarget is { } target && target != "/dev/null" && IsUnitName(entry.Name) && Path.GetFileName(target) != entry.Name)
                {
                    // An alias made by enabling (Alias=): the unit it names is enabled.
                    Add(Path.GetFileName(target), runtime);
                }
            }
        }

        return links;
    }

    /// <summary>Whether the unit's [Install] section says how to enable it (WantedBy=, RequiredBy=, UpheldBy=, Alias=) or only names others (Also=), and a template's default instance.</summary>
    private static (bool HasRules, bool HasAlso, string? DefaultInstance) InstallSection(IHostFileSystem files, string unitPath)
    {
        string? text;
        try
        {
            text = files.ReadTextOrNull(unitPath);
        }
        catch (Exception ex) when (ex is HostFileException or UnauthorizedAccessException or IOException)
        {
            text = null;
        }

        bool rules = false, also = false, install = false;
        string? defaultInstance = null;
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                install = line == "[Install]";
                continue;
            }

            if (!install || line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? line : line[..equals].Trim();
            var value = equals < 0 ? "" : line[(equals + 1)..].Trim();
            if (value.Length == 0)
            {
                continue;
            }

            rules |= key is "WantedBy" or "RequiredBy" or "UpheldBy" or "Alias";
            also |= key == "Also";
            defaultInstance = key == "DefaultInstance" ? value : defaultInstance;
        }

        return (rules, also, defaultInstance);
    }

    /// <summary>The *.preset files' rules, in the order systemd reads them: by file name, a name in an earlier directory hiding the same name in a later one.</summary>
    private static List<(bool Enable, string Pattern)> Presets(IHostFileSystem files)
    {
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in PresetPath)
        {
            foreach (var path in files.ListFiles(directory).Where(n => n.EndsWith(".preset", StringComparison.Ordinal)))
            {
                byName.TryAdd(Path.GetFileName(path), path);
            }
        }

        var rules = new List<(bool, string)>();
        foreach (var path in byName.Values)
        {
            foreach (var raw in (files.ReadTextOrNull(path) ?? "").Split('\n'))
            {
                var words = raw.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length >= 2 && words[0] is "enable" or "disable")
                {
                    rules.Add((words[0] == "enable", words[1]));
                }
            }
        }

        return rules;
    }

    /// <summary>The first preset rule whose pattern matches; enabled when none does (systemd's default policy).</summary>
    private static string Preset(List<(bool Enable, string Pattern)> rules, string name)
    {
        foreach (var (enable, pattern) in rules)
        {
            if (FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: false))
            {
                return enable ? "enabled" : "disabled";
            }
        }

        return "enabled";
    }

    private static bool IsUnitName(string name) =>
        UnitSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal) && name.Length > s.Length) && !name.Contains('/', StringComparison.Ordinal);

    /// <summary>"getty@tty1.service" → "getty@.service"; null for a name that is not an instance.</summary>
    private static string? TemplateOf(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        var dot = name.LastIndexOf('.');
        return at > 0 && dot > at + 1 ? name[..(at + 1)] + name[dot..] : null;
    }

    private static bool IsTemplate(string name) => name.Contains("@.", StringComparison.Ordinal);

    private static string Absolute(string directory, string target) => target.StartsWith('/') ? target : Path.GetFullPath(Path.Join(directory, target));

    /// <summary>The final host path a unit link leads to, followed inside the root; null when it leads nowhere.</summary>
    private static string? Resolve(IHostFileSystem files, string hostPath)
    {
        var path = hostPath;
        for (var hops = 0; hops < 32; hops++)
        {
            string? target;
            try
            {
                target = new FileInfo(files.MapPath(path)).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }

            if (target is null)
            {
                return path;
            }

            path = Absolute(Path.GetDirectoryName(path)!, target);
        }

        return null;
    }

    /// <summary>The directories of <paramref name="hostPaths"/> that exist, each real directory once (/lib is /usr/lib on a merged system).</summary>
    private static List<Directory> Directories(IHostFileSystem files, string[] hostPaths)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var directories = new List<Directory>();
        foreach (var hostPath in hostPaths)
        {
            if (files.ResolveDirectory(hostPath) is { } real && seen.Add(real))
            {
                directories.Add(new Directory(hostPath, real));
            }
        }

        return directories;
    }

    private static IEnumerable<Entry> Entries(Directory directory)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true };
        var entries = new FileSystemEnumerable<(string Name, bool IsDirectory, bool IsLink, long Length)>(
            directory.RealPath,
            static (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory && (e.Attributes & FileAttributes.ReparsePoint) == 0, (e.Attributes & FileAttributes.ReparsePoint) != 0, e.Length),
            options);
        foreach (var (name, isDirectory, isLink, length) in entries.ToList())
        {
            yield return new Entry(directory, name, isDirectory, isLink ? new FileInfo(Path.Join(directory.RealPath, name)).LinkTarget : null, length);
        }
    }

    /// <summary>A unit directory: as the host names it, and where it is on this machine.</summary>
    private sealed record Directory(string HostPath, string RealPath);

    /// <summary>One name in a unit directory: a file, a directory, or a link and its target as written.</summary>
    private sealed record Entry(Directory Directory, string Name, bool IsDirectory, string? LinkTarget, long Length);
}
